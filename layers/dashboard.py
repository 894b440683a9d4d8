"""Dashboard selectors: one card per domain (key figures, change against the previous period,
red/amber/green), and per domain a monthly series and a ranking of units (worst first).
Every figure carries its unit and period. All of it is SQL over the domain tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from gis_server.db import read_connection
from layers.domains import DOMAINS


def q(sql: str, params=()) -> list[tuple]:
    with read_connection().cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def one(sql: str, params=()):
    rows = q(sql, params)
    return rows[0] if rows else None


@dataclass
class Figure:
    label: str
    value: float | int | None
    unit: str
    period: str


@dataclass
class Card:
    domain: str
    title: str
    figures: list[Figure]
    change_pct: float | None
    change_vs: str
    state: str  # green / amber / red / grey
    layers: list[str] = field(default_factory=list)


def _pct(now, before) -> float | None:
    if now is None or not before:
        return None
    return round(100.0 * (float(now) - float(before)) / float(before), 1)


def _month(d: date | None) -> str:
    return f"{d:%m/%Y}" if d else "–"


def _district_filter(col: str, district: int | None) -> tuple[str, list]:
    """SQL restricting an admin-unit id column to a district (itself or its communes)."""
    if district is None:
        return "", []
    return (f" AND {col} IN (SELECT id FROM layers_adminunit WHERE id = %s OR parent_id = %s)",
            [district, district])


def _commune_filter(col: str, district: int | None) -> tuple[str, list]:
    if district is None:
        return "", []
    return f" AND {col} IN (SELECT id FROM layers_adminunit WHERE parent_id = %s)", [district]


# ------------------------------------------------------------------------------ cards
def card_socioeconomic(district):
    f, p = _district_filter("v.unit_id", district)
    level = "" if district else " AND u.level = 'district'"
    rows = q(f"""SELECT v.period, avg(v.value) FROM layers_indicatorvalue v
                 JOIN layers_indicator i ON i.id = v.indicator_id JOIN layers_adminunit u ON u.id = v.unit_id
                 WHERE i.code = 'budget_revenue_pct'{level}{f} GROUP BY v.period ORDER BY v.period DESC LIMIT 2""", p)
    now, before = (rows + [(None, None), (None, None)])[:2]
    state = "grey" if now[1] is None else "red" if now[1] <= 85 else "amber" if now[1] <= 95 else "green"
    return [Figure(str(_("Thu ngân sách so với kế hoạch")), round(now[1], 1) if now[1] else None, "%", _month(now[0]))], \
        _pct(now[1], before[1]), _month(before[0]), state


def card_public_services(district):
    f, p = _district_filter("d.unit_id", district)
    overdue, backlog = one(f"""SELECT count(*) FILTER (WHERE d.due_at < now()), count(*) FROM layers_dossier d
                               WHERE d.status = 'processing'{f}""", p)
    rate = q(f"""SELECT (d.resolved_at >= now() - interval '30 days') AS recent,
                        100.0 * count(*) FILTER (WHERE d.resolved_at <= d.due_at) / nullif(count(*), 0)
                   FROM layers_dossier d WHERE d.status = 'resolved'
                    AND d.resolved_at >= now() - interval '60 days'{f} GROUP BY 1""", p)
    r = dict(rate)
    now, before = r.get(True), r.get(False)
    state = "grey" if now is None else "green" if now >= 95 else "amber" if now >= 85 else "red"
    return [Figure(str(_("Hồ sơ quá hạn")), overdue, str(_("hồ sơ")), str(_("hiện tại"))),
            Figure(str(_("Hồ sơ đang xử lý")), backlog, str(_("hồ sơ")), str(_("hiện tại"))),
            Figure(str(_("Tỷ lệ giải quyết đúng hạn")), round(now, 1) if now else None, "%", str(_("30 ngày qua")))], \
        _pct(now, before), str(_("30 ngày trước đó")), state


def _monthly_count(table: str, time_col: str, district, extra: str = "") -> tuple:
    f, p = _commune_filter("t.commune_id", district)
    rows = q(f"""WITH last AS (SELECT date_trunc('month', max({time_col})) AS m FROM {table})
                 SELECT count(*) FILTER (WHERE t.{time_col} >= last.m),
                        count(*) FILTER (WHERE t.{time_col} >= last.m - interval '1 month' AND t.{time_col} < last.m),
                        last.m::date, (last.m - interval '1 month')::date {extra}
                   FROM {table} t CROSS JOIN last WHERE true{f} GROUP BY last.m""", p)
    return rows[0] if rows else (0, 0, None, None)


def card_traffic(district):
    now, before, m, pm, deaths = _monthly_count(
        "layers_trafficaccident", "occurred_at", district,
        ", sum(t.deaths) FILTER (WHERE t.occurred_at >= last.m)")
    change = _pct(now, before)
    state = "grey" if change is None else "red" if change > 10 else "amber" if change > 0 else "green"
    return [Figure(str(_("Tai nạn giao thông")), now, str(_("vụ")), _month(m)),
            Figure(str(_("Số người chết")), deaths or 0, str(_("người")), _month(m))], change, _month(pm), state


def card_security(district):
    now, before, m, pm = _monthly_count("layers_securityincident", "occurred_at", district)
    change = _pct(now, before)
    state = "grey" if change is None else "red" if change > 15 else "amber" if change > 0 else "green"
    return [Figure(str(_("Vụ việc an ninh trật tự")), now, str(_("vụ")), _month(m))], change, _month(pm), state


def card_citizen(district):
    f, p = _commune_filter("r.commune_id", district)
    open_, overdue = one(f"""SELECT count(*) FILTER (WHERE r.status NOT IN ('resolved', 'rejected')),
                                    count(*) FILTER (WHERE r.status NOT IN ('resolved', 'rejected') AND r.due_date < current_date)
                               FROM layers_citizenreport r WHERE true{f}""", p)
    state = "green" if overdue == 0 else "amber" if overdue < 20 else "red"
    return [Figure(str(_("Phản ánh đang mở")), open_, str(_("phản ánh")), str(_("hiện tại"))),
            Figure(str(_("Phản ánh quá hạn")), overdue, str(_("phản ánh")), str(_("hiện tại")))], None, "", state


def card_health(district):
    f, p = _commune_filter("w.commune_id", district)
    rows = q(f"""SELECT w.week, sum(w.cases), count(*) FILTER (WHERE w.cases > w.threshold)
                   FROM layers_diseaseweekly w WHERE w.disease = 'dengue'{f}
                  GROUP BY w.week ORDER BY w.week DESC LIMIT 2""", p)
    (wk, cases, outbreaks), (pwk, pcases, _o) = (rows + [(None, None, 0)] * 2)[:2]
    state = "grey" if wk is None else "red" if outbreaks else "green"
    return [Figure(str(_("Ca sốt xuất huyết")), cases, str(_("ca")), f"{str(_('tuần'))} {wk:%d/%m/%Y}" if wk else "–"),
            Figure(str(_("Xã vượt ngưỡng dịch")), outbreaks, str(_("xã")), f"{wk:%d/%m/%Y}" if wk else "–")], \
        _pct(cases, pcases), f"{pwk:%d/%m/%Y}" if pwk else "", state


def card_education(district):
    f, p = _commune_filter("s.commune_id", district)
    rows = q(f"""SELECT y.year, sum(y.enrolment), sum(y.enrolment)::float / nullif(sum(y.teachers), 0)
                   FROM layers_schoolyear y JOIN layers_school s ON s.id = y.school_id WHERE true{f}
                  GROUP BY y.year ORDER BY y.year DESC LIMIT 2""", p)
    (yr, enr, ratio), (pyr, penr, _r) = (rows + [(None, None, None)] * 2)[:2]
    state = "grey" if ratio is None else "red" if ratio > 25 else "amber" if ratio > 20 else "green"
    return [Figure(str(_("Học sinh")), enr, str(_("học sinh")), f"{yr}-{yr + 1}" if yr else "–"),
            Figure(str(_("Học sinh / giáo viên")), round(ratio, 1) if ratio else None, "", f"{yr}-{yr + 1}" if yr else "–")], \
        _pct(enr, penr), f"{pyr}-{pyr + 1}" if pyr else "", state


def card_land(district):
    f, p = _commune_filter("c.commune_id", district)
    n, area = one(f"SELECT count(*), coalesce(sum(c.area_m2), 0) / 10000 FROM ioc_land_conflicts c WHERE true{f}", p)
    state = "green" if n == 0 else "amber" if n < 1000 else "red"
    return [Figure(str(_("Thửa đất trái quy hoạch")), n, str(_("thửa")), str(_("hiện tại"))),
            Figure(str(_("Diện tích trái quy hoạch")), round(float(area), 1), "ha", str(_("hiện tại")))], None, "", state


def card_cyber(district):
    f, p = _district_filter("c.district_id", district)
    rows = q(f"""WITH last AS (SELECT max(day) AS d FROM layers_cyberdaily)
                 SELECT (c.day > last.d - 30), sum(c.detected), sum(c.handled)
                   FROM layers_cyberdaily c CROSS JOIN last WHERE c.day > last.d - 60{f} GROUP BY 1""", p)
    r = {k: (d, h) for k, d, h in rows}
    det, han = r.get(True, (None, None))
    pdet = r.get(False, (None, None))[0]
    rate = 100.0 * han / det if det else None
    state = "grey" if rate is None else "green" if rate >= 98 else "amber" if rate >= 95 else "red"
    return [Figure(str(_("Nguy cơ phát hiện")), det, str(_("lượt")), str(_("30 ngày qua"))),
            Figure(str(_("Tỷ lệ đã xử lý")), round(rate, 1) if rate else None, "%", str(_("30 ngày qua")))], \
        _pct(det, pdet), str(_("30 ngày trước đó")), state


def card_media(district):
    f, p = _district_filter("m.district_id", district)
    rows = q(f"""WITH last AS (SELECT max(day) AS d FROM layers_mediadaily)
                 SELECT (m.day > last.d - 7), sum(m.mentions), sum(m.mentions) FILTER (WHERE m.sentiment = 'negative')
                   FROM layers_mediadaily m CROSS JOIN last WHERE m.day > last.d - 14{f} GROUP BY 1""", p)
    r = {k: (a, b) for k, a, b in rows}
    tot, neg = r.get(True, (None, None))
    pneg = r.get(False, (None, None))[1]
    share = 100.0 * neg / tot if tot else None
    change = _pct(neg, pneg)
    state = "grey" if change is None else "red" if change >= 100 else "amber" if change > 20 else "green"
    return [Figure(str(_("Lượt đề cập")), tot, str(_("lượt")), str(_("7 ngày qua"))),
            Figure(str(_("Tỷ lệ tiêu cực")), round(share, 1) if share else None, "%", str(_("7 ngày qua")))], \
        change, str(_("7 ngày trước đó")), state


def card_tourism(district):
    f, p = _commune_filter("s.commune_id", district)
    rows = q(f"""SELECT t.month, sum(t.visitors), sum(t.revenue_mvnd) FROM layers_tourismmonthly t
                   JOIN layers_touristsite s ON s.id = t.site_id WHERE true{f}
                  GROUP BY t.month ORDER BY t.month DESC LIMIT 13""", p)
    if not rows:
        return [], None, "", "grey"
    m, v, rev = rows[0]
    ly = rows[12] if len(rows) > 12 else None
    change = _pct(v, ly[1] if ly else None)
    state = "grey" if change is None else "green" if change >= 0 else "amber" if change > -10 else "red"
    return [Figure(str(_("Lượt khách")), v, str(_("lượt")), _month(m)),
            Figure(str(_("Doanh thu")), round(float(rev)), str(_("triệu đồng")), _month(m))], \
        change, _month(ly[0]) if ly else "", state


CARDS = {
    "socioeconomic": (card_socioeconomic, ["socioeconomic-indicators"]),
    "public_services": (card_public_services, ["public-service-centres"]),
    "traffic": (card_traffic, ["traffic-accidents", "traffic-black-spots", "road-accident-density", "traffic-cameras"]),
    "security": (card_security, ["security-incidents"]),
    "citizen": (card_citizen, ["citizen-reports"]),
    "health": (card_health, ["health-facilities", "disease-cases-weekly", "health-facility-activity"]),
    "education": (card_education, ["schools", "school-enrolment"]),
    "land": (card_land, ["planning-zones", "land-use-conflicts", "land-parcels"]),
    "cyber": (card_cyber, ["cyber-threats"]),
    "media": (card_media, ["media-mentions"]),
    "tourism": (card_tourism, ["tourist-sites", "tourism-visitors"]),
}


def cards(*, lang: str, readable: set[str], district: int | None = None) -> list[Card]:
    """The overview: one card per domain whose layers the user may read."""
    out = []
    for dom, (fn, layers) in CARDS.items():
        visible = [lyr for lyr in layers if lyr in readable]
        if not visible:
            continue
        figures, change, vs, state = fn(district)
        vi, en = DOMAINS[dom]
        out.append(Card(dom, en if lang == "en" else vi, figures, change, vs, state, visible))
    return out


# ------------------------------------------------------------------------------ domain views
SERIES = {  # domain -> (SQL of (month, value) over the last N months, label, unit)
    "socioeconomic": ("""SELECT v.period, avg(v.value) FROM layers_indicatorvalue v
                          JOIN layers_indicator i ON i.id = v.indicator_id JOIN layers_adminunit u ON u.id = v.unit_id
                         WHERE i.code = 'budget_revenue_pct' AND u.level = 'district' {f_unit} GROUP BY 1 ORDER BY 1""",
                      _("Thu ngân sách so với kế hoạch"), "%"),
    "public_services": ("""SELECT date_trunc('month', d.received_at)::date, count(*) FROM layers_dossier d
                           WHERE true {f_unit_d} GROUP BY 1 ORDER BY 1""", _("Hồ sơ tiếp nhận"), _("hồ sơ")),
    "traffic": ("""SELECT date_trunc('month', t.occurred_at)::date, count(*) FROM layers_trafficaccident t
                   WHERE true {f_commune} GROUP BY 1 ORDER BY 1""", _("Tai nạn giao thông"), _("vụ")),
    "security": ("""SELECT date_trunc('month', t.occurred_at)::date, count(*) FROM layers_securityincident t
                    WHERE true {f_commune} GROUP BY 1 ORDER BY 1""", _("Vụ việc an ninh trật tự"), _("vụ")),
    "citizen": ("""SELECT date_trunc('month', t.received_at)::date, count(*) FROM layers_citizenreport t
                   WHERE true {f_commune} GROUP BY 1 ORDER BY 1""", _("Phản ánh tiếp nhận"), _("phản ánh")),
    "health": ("""SELECT date_trunc('month', w.week)::date, sum(w.cases) FROM layers_diseaseweekly w
                  WHERE w.disease = 'dengue' {f_commune_w} GROUP BY 1 ORDER BY 1""", _("Ca sốt xuất huyết"), _("ca")),
    "education": ("""SELECT make_date(y.year, 9, 1), sum(y.enrolment) FROM layers_schoolyear y
                     JOIN layers_school t ON t.id = y.school_id WHERE true {f_commune} GROUP BY 1 ORDER BY 1""",
                  _("Học sinh"), _("học sinh")),
    "land": ("""SELECT date_trunc('month', now())::date, count(*) FROM ioc_land_conflicts t WHERE true {f_commune}""",
             _("Thửa đất trái quy hoạch"), _("thửa")),
    "cyber": ("""SELECT date_trunc('month', c.day)::date, sum(c.detected) FROM layers_cyberdaily c
                 WHERE true {f_district_c} GROUP BY 1 ORDER BY 1""", _("Nguy cơ phát hiện"), _("lượt")),
    "media": ("""SELECT date_trunc('month', m.day)::date, sum(m.mentions) FILTER (WHERE m.sentiment = 'negative')
                 FROM layers_mediadaily m WHERE true {f_district_m} GROUP BY 1 ORDER BY 1""",
              _("Đề cập tiêu cực"), _("lượt")),
    "tourism": ("""SELECT t.month, sum(t.visitors) FROM layers_tourismmonthly t JOIN layers_touristsite s ON s.id = t.site_id
                   WHERE true {f_commune_s} GROUP BY 1 ORDER BY 1""", _("Lượt khách"), _("lượt")),
}

RANKING = {  # domain -> (SQL of (unit id, code, name, value) worst first, label, unit)
    "public_services": ("""SELECT u.id, u.code, u.name, count(*) FROM layers_dossier d JOIN layers_adminunit u ON u.id = d.unit_id
                           WHERE d.status = 'processing' AND d.due_at < now() {f_unit_u}
                           GROUP BY u.id ORDER BY 4 DESC, u.code LIMIT 30""", _("Hồ sơ quá hạn"), _("hồ sơ")),
    "socioeconomic": ("""SELECT u.id, u.code, u.name, v.value FROM layers_indicatorvalue v
                         JOIN layers_indicator i ON i.id = v.indicator_id JOIN layers_adminunit u ON u.id = v.unit_id
                         WHERE i.code = 'budget_revenue_pct' AND v.period = (SELECT max(period) FROM layers_indicatorvalue)
                           {f_unit_u} ORDER BY v.value, u.code LIMIT 30""", _("Thu ngân sách so với kế hoạch"), "%"),
    "traffic": ("""SELECT u.id, u.code, u.name, count(*) FROM layers_trafficaccident t JOIN layers_adminunit u ON u.id = t.commune_id
                   WHERE t.occurred_at > (SELECT max(occurred_at) FROM layers_trafficaccident) - interval '12 months'
                   {f_commune} GROUP BY u.id ORDER BY 4 DESC, u.code LIMIT 30""", _("Tai nạn 12 tháng"), _("vụ")),
    "security": ("""SELECT u.id, u.code, u.name, count(*) FROM layers_securityincident t JOIN layers_adminunit u ON u.id = t.commune_id
                    WHERE t.occurred_at > now() - interval '12 months' {f_commune}
                    GROUP BY u.id ORDER BY 4 DESC, u.code LIMIT 30""", _("Vụ việc 12 tháng"), _("vụ")),
    "citizen": ("""SELECT u.id, u.code, u.name, count(*) FROM layers_citizenreport t JOIN layers_adminunit u ON u.id = t.commune_id
                   WHERE t.status NOT IN ('resolved', 'rejected') AND t.due_date < current_date {f_commune}
                   GROUP BY u.id ORDER BY 4 DESC, u.code LIMIT 30""", _("Phản ánh quá hạn"), _("phản ánh")),
    "health": ("""SELECT u.id, u.code, u.name, w.cases FROM layers_diseaseweekly w JOIN layers_adminunit u ON u.id = w.commune_id
                  WHERE w.disease = 'dengue' AND w.week = (SELECT max(week) FROM layers_diseaseweekly) {f_commune_w}
                  ORDER BY w.cases DESC, u.code LIMIT 30""", _("Ca sốt xuất huyết tuần gần nhất"), _("ca")),
    "education": ("""SELECT t.id, '', t.name, round((y.enrolment::numeric / nullif(y.teachers, 0)), 1)
                     FROM layers_schoolyear y JOIN layers_school t ON t.id = y.school_id
                     WHERE y.year = (SELECT max(year) FROM layers_schoolyear) {f_commune}
                     ORDER BY 4 DESC NULLS LAST LIMIT 30""", _("Học sinh / giáo viên"), ""),
    "land": ("""SELECT u.id, u.code, u.name, count(*) FROM ioc_land_conflicts t JOIN layers_adminunit u ON u.id = t.commune_id
                WHERE true {f_commune} GROUP BY u.id ORDER BY 4 DESC, u.code LIMIT 30""", _("Thửa trái quy hoạch"), _("thửa")),
    "cyber": ("""SELECT u.id, u.code, u.name, sum(c.detected) FROM layers_cyberdaily c JOIN layers_adminunit u ON u.id = c.district_id
                 WHERE c.day > (SELECT max(day) FROM layers_cyberdaily) - 30 {f_district_c}
                 GROUP BY u.id ORDER BY 4 DESC, u.code""", _("Nguy cơ 30 ngày"), _("lượt")),
    "media": ("""SELECT u.id, u.code, u.name, sum(m.mentions) FROM layers_mediadaily m JOIN layers_adminunit u ON u.id = m.district_id
                 WHERE m.sentiment = 'negative' AND m.day > (SELECT max(day) FROM layers_mediadaily) - 7 {f_district_m}
                 GROUP BY u.id ORDER BY 4 DESC, u.code""", _("Đề cập tiêu cực 7 ngày"), _("lượt")),
    "tourism": ("""SELECT s.id, '', s.name, sum(t.visitors) FROM layers_tourismmonthly t JOIN layers_touristsite s ON s.id = t.site_id
                   WHERE t.month = (SELECT max(month) FROM layers_tourismmonthly) {f_commune_s}
                   GROUP BY s.id ORDER BY 4 ASC LIMIT 30""", _("Lượt khách tháng gần nhất (thấp nhất trước)"), _("lượt")),
}


def _filters(district: int | None) -> tuple[dict, list]:
    """The placeholders above, all bound to the same district (one parameter each)."""
    if district is None:
        return {k: "" for k in ("f_unit", "f_unit_d", "f_unit_u", "f_commune", "f_commune_w", "f_commune_s",
                                "f_district_c", "f_district_m")}, []
    sub = "(SELECT id FROM layers_adminunit WHERE id = %(d)s OR parent_id = %(d)s)"
    return {
        "f_unit": f"AND v.unit_id IN {sub}", "f_unit_d": f"AND d.unit_id IN {sub}", "f_unit_u": f"AND u.id IN {sub}",
        "f_commune": f"AND t.commune_id IN {sub}", "f_commune_w": f"AND w.commune_id IN {sub}",
        "f_commune_s": f"AND s.commune_id IN {sub}", "f_district_c": "AND c.district_id = %(d)s",
        "f_district_m": "AND m.district_id = %(d)s",
    }, [district]


def _run(sql: str, district: int | None) -> list[tuple]:
    frag, _p = _filters(district)
    with read_connection().cursor() as cur:
        cur.execute(sql.format(**frag), {"d": district} if district else None)
        return cur.fetchall()


def series(domain: str, *, district: int | None = None, months: int = 24) -> dict:
    sql, label, unit = SERIES[domain]
    rows = _run(sql, district)[-months:]
    return {"label": str(label), "unit": str(unit),
            "points": [{"period": f"{d:%Y-%m}", "value": float(v) if v is not None else None} for d, v in rows]}


def ranking(domain: str, *, district: int | None = None) -> dict:
    sql, label, unit = RANKING[domain]
    rows = _run(sql, district)
    return {"label": str(label), "unit": str(unit),
            "rows": [{"id": i, "code": c, "name": n, "value": float(v) if v is not None else None} for i, c, n, v in rows]}


def overdue_dossiers(*, unit_code: str, limit: int = 500) -> list[dict]:
    """The drill-down: overdue dossiers of one unit, most overdue first."""
    rows = q("""SELECT d.code, d.procedure, d.received_at, d.due_at, d.channel, c.name,
                       extract(day FROM now() - d.due_at)::int
                  FROM layers_dossier d JOIN layers_adminunit u ON u.id = d.unit_id
                  JOIN layers_servicecentre c ON c.id = d.centre_id
                 WHERE u.code = %s AND d.status = 'processing' AND d.due_at < now()
                 ORDER BY d.due_at LIMIT %s""", [unit_code, limit])
    return [{"code": r[0], "procedure": r[1], "received_at": r[2], "due_at": r[3], "channel": r[4], "centre": r[5],
             "days_overdue": r[6]} for r in rows]
