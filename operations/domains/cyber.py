"""Cybersecurity: threats detected and handled per agency and district; an alert on a
district's week well above its four-week average."""

from django.utils.translation import gettext_lazy as _

from layers.registry import Style, TimeMap, layer_from_view
from operations.domain import (
    CardFigures,
    Column,
    Domain,
    Figure,
    Firing,
    RankingDef,
    RecordsDef,
    SeriesDef,
    district_filter,
    level_state,
    pct_change,
    read_one,
    read_rows,
    rows,
)
from operations.intake.report_layers import report_layers
from operations.intake.spec import DataSet, Element, OrgUnits, Rule

GREEN_FROM_HANDLED_PCT = 98  # threats handled in the last 30 days, the card's state
AMBER_FROM_HANDLED_PCT = 95
SPIKE_FACTOR = 1.3  # a district's 7 days against its 4-week weekly average before an alert

LAYERS = (
    layer_from_view(
        id="cyber-threats", title_vi="Nguy cơ an ninh mạng phát hiện và xử lý",
        title_en="Cyber threats detected and handled",
        department="Sở Thông tin và Truyền thông", cadence="monthly",
        domain="cyber", table="ioc_cyber_monthly", geometry_type="MultiPolygon", time_field="month", access="internal",
        title_field="unit_name",
        fields=(("month", "string", _("tháng"), "", "date"), ("unit_code", "string", _("mã đơn vị")),
                ("unit_name", "string", _("đơn vị")), ("detected", "integer", _("phát hiện"), _("lượt")),
                ("handled", "integer", _("đã xử lý"), _("lượt")), ("malware", "integer", _("mã độc"), _("lượt")),
                ("phishing", "integer", _("lừa đảo trực tuyến"), _("lượt")),
                ("intrusion", "integer", _("tấn công xâm nhập"), _("lượt"))),
        style=Style(color="#2d3748", fill="#718096", weight=1),
        time_map=TimeMap(period="month", measures=("detected", "handled", "malware", "phishing", "intrusion")),
    ),
)


THREATS = (("malware", _("Mã độc")), ("phishing", _("Lừa đảo trực tuyến")), ("intrusion", _("Tấn công xâm nhập")),
           ("ddos", _("Tấn công từ chối dịch vụ")), ("defacement", _("Thay đổi giao diện trang web")))


def card(district: int | None) -> CardFigures:
    """Threats detected and handled in the last 30 days (against the 30 days before), the share
    handled, and the threats handled since the first day on record."""
    f, p = district_filter("c.district_id", district)
    found = read_rows(f"""WITH last AS (SELECT max(day) AS d FROM layers_cyberdaily)
                 SELECT (c.day > last.d - 30), sum(c.detected), sum(c.handled)
                   FROM layers_cyberdaily c CROSS JOIN last WHERE c.day > last.d - 60{f} GROUP BY 1""", p)
    total, first = read_one(f"SELECT sum(c.handled), min(c.day) FROM layers_cyberdaily c WHERE true{f}", p)
    r = {k: (d, h) for k, d, h in found}
    det, han = r.get(True, (None, None))
    pdet, phan = r.get(False, (None, None))
    rate = 100.0 * han / det if det else None
    state = level_state(rate, green_from=GREEN_FROM_HANDLED_PCT, amber_from=AMBER_FROM_HANDLED_PCT)
    days, before = str(_("30 ngày qua")), str(_("30 ngày trước đó"))
    return CardFigures([Figure(str(_("Nguy cơ phát hiện")), det, str(_("lượt")), days,
                               change_pct=pct_change(det, pdet), change_vs=before),
                        Figure(str(_("Nguy cơ đã xử lý")), han, str(_("lượt")), days,
                               change_pct=pct_change(han, phan), change_vs=before),
                        Figure(str(_("Tỷ lệ đã xử lý")), round(rate, 1) if rate is not None else None, "%", days,
                               state=state),
                        Figure(str(_("Tổng nguy cơ đã xử lý")), total, str(_("lượt")),
                               str(_("lũy kế từ %(day)s")) % {"day": f"{first:%d/%m/%Y}"} if first else "–")],
                       None, "", state)


SERIES = SeriesDef("""SELECT date_trunc('month', c.day)::date, sum(c.detected) FROM layers_cyberdaily c
                      WHERE c.day >= date_trunc('month', now()) - interval '24 months' {f_district_c} GROUP BY 1 ORDER BY 1""", _("Nguy cơ phát hiện"), _("lượt"))

RANKING = RankingDef("""SELECT u.id, u.code, u.name, sum(c.detected) FROM layers_cyberdaily c
                          JOIN layers_adminunit u ON u.id = c.district_id
                         WHERE c.day > (SELECT max(day) FROM layers_cyberdaily) - 30 {f_district_c}
                         GROUP BY u.id ORDER BY 4 DESC, u.code""", _("Nguy cơ phát hiện 30 ngày qua"), _("lượt"),
                     drill_url="/dashboard/cyber/unit/{code}/")

RECORDS = (RecordsDef(
    _("Nguy cơ 30 ngày qua theo cơ quan và loại (nhiều nhất trước)"),
    """WITH last AS (SELECT max(day) AS d FROM layers_cyberdaily)
       SELECT count(*) OVER (),
              (c.district_id * 1000000 + extract(year FROM last.d)::int * 100 + extract(month FROM last.d)::int)::bigint,
              c.agency, c.threat, sum(c.detected), sum(c.handled),
              round(100.0 * sum(c.handled) / nullif(sum(c.detected), 0), 1)
         FROM layers_cyberdaily c CROSS JOIN last
        WHERE c.district_id = %(u)s AND c.day > last.d - 30
        GROUP BY c.district_id, last.d, c.agency, c.threat ORDER BY 5 DESC, 3, 4 LIMIT %(n)s""",
    (Column(_("Cơ quan, đơn vị")), Column(_("Loại nguy cơ"), choices=THREATS),
     Column(_("Phát hiện"), _("lượt"), kind="number"), Column(_("Đã xử lý"), _("lượt"), kind="number"),
     Column(_("Tỷ lệ đã xử lý"), "%", kind="number")),
    layer="cyber-threats"),)


def cyber_spike() -> list[Firing]:
    """Threats detected in a district in the last 7 days above SPIKE_FACTOR times its 4-week average."""
    out = []
    for uid, name, this, avg, wkt in rows("""
        WITH last AS (SELECT max(day) AS d FROM layers_cyberdaily)
        SELECT u.id, u.name, sum(c.detected) FILTER (WHERE c.day > last.d - 7),
               sum(c.detected) FILTER (WHERE c.day <= last.d - 7) / 4.0,
               ST_AsText(ST_PointOnSurface(u.geom))
          FROM layers_cyberdaily c CROSS JOIN last JOIN layers_adminunit u ON u.id = c.district_id
         WHERE c.day > last.d - 35 GROUP BY u.id"""):
        if this and avg and this > SPIKE_FACTOR * float(avg):
            out.append(Firing(f"cyber_spike:{uid}", "cyber_spike", "cyber", "warning",
                              f"{this} nguy cơ an ninh mạng trong 7 ngày tại {name} (trung bình {float(avg):.0f})",
                              this, SPIKE_FACTOR * float(avg), uid, wkt))
    return out



DATASETS = (
    DataSet("cyber_monthly", "An toàn thông tin theo tháng", "Cybersecurity per month", "so_tttt", "monthly",
            OrgUnits(level="district"),
            (
             Element("detected", "Số nguy cơ phát hiện", "Threats detected", unit="nguy cơ", max=100000),
             Element("handled", "Số nguy cơ đã xử lý", "Threats handled", unit="nguy cơ", max=100000),
             ),
            rules=(Rule.le("handled", "detected", "Số nguy cơ đã xử lý không được lớn hơn số phát hiện", "Threats handled cannot exceed threats detected"),),
            due_days=10, domain="cyber"),
)


DOMAIN = Domain(
    id="cyber", title_vi="An ninh mạng", title_en="Cybersecurity",
    layers=LAYERS + report_layers(DATASETS, domain="cyber"), card_layers=("cyber-threats",), card=card, series=SERIES, ranking=RANKING,
    rules=(cyber_spike,), drill_down=("province", "district", "agency"), records=RECORDS,
    datasets=DATASETS,
)
