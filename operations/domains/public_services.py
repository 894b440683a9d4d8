"""Public services: one-stop offices with their backlog, overdue dossiers and on-time rate;
ranking of units by overdue dossiers, down to each dossier of a unit."""

from django.utils.translation import gettext_lazy as _

from layers.models import AdminUnit, Dossier
from layers.registry import Style, layer_from_view
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
    month_period,
    month_to_date,
    pct_change,
    read_one,
    read_rows,
    rows,
)
from operations.intake.report_layers import report_layers
from operations.intake.spec import DataSet, Element, OrgUnits, Rule

GREEN_FROM_PCT = 95  # dossiers resolved on time in the last 30 days, the card's state
AMBER_FROM_PCT = 85
OVERDUE_LIMIT = {"commune": 8, "district": 20}  # overdue dossiers of a unit before an alert
CRITICAL_FACTOR = 2  # critical at twice the limit

LAYERS = (
    layer_from_view(
        id="public-service-centres", choices={"level": AdminUnit.Level.choices}, title_vi="Bộ phận một cửa: hồ sơ tồn, quá hạn",
        department="Văn phòng UBND tỉnh",
        title_en="One-stop offices: backlog and overdue dossiers", domain="public_services",
        table="ioc_service_centres", geometry_type="Point", title_field="name", joins_commune=True,
        fields=(("name", "string", _("tên")), ("level", "string", _("cấp")), ("unit_code", "string", _("mã đơn vị")),
                ("unit_name", "string", _("đơn vị")), ("backlog", "integer", _("hồ sơ đang xử lý"), _("hồ sơ")),
                ("overdue", "integer", _("hồ sơ quá hạn"), _("hồ sơ")),
                ("on_time_pct", "number", _("tỷ lệ đúng hạn"), "%"),
                ("index_points", "number", _("điểm chỉ số phục vụ (đúng hạn, tối đa 20)"), _("điểm"))),
        style=Style(color="#b7791f", radius=7),
    ),
)


def card(district: int | None) -> CardFigures:
    f, p = district_filter("d.unit_id", district)
    overdue, backlog = read_one(f"""SELECT count(*) FILTER (WHERE d.due_at < now()), count(*) FROM layers_dossier d
                                    WHERE d.status = 'processing'{f}""", p)
    rate = dict(read_rows(f"""SELECT (d.resolved_at >= now() - interval '30 days') AS recent,
                        100.0 * count(*) FILTER (WHERE d.resolved_at <= d.due_at) / nullif(count(*), 0)
                   FROM layers_dossier d WHERE d.status = 'resolved'
                    AND d.resolved_at >= now() - interval '60 days'
                    AND d.received_at >= now() - interval '150 days'{f} GROUP BY 1""", p))
    received, _prev, month, through = month_to_date("layers_dossier", "received_at", district, unit_col="t.unit_id")
    now, before = rate.get(True), rate.get(False)
    state = level_state(now, green_from=GREEN_FROM_PCT, amber_from=AMBER_FROM_PCT)
    period, partial = month_period(month, through)
    return CardFigures([Figure(str(_("Hồ sơ quá hạn")), overdue, str(_("hồ sơ")), str(_("hiện tại"))),
                        Figure(str(_("Hồ sơ đang xử lý")), backlog, str(_("hồ sơ")), str(_("hiện tại"))),
                        Figure(str(_("Tỷ lệ giải quyết đúng hạn")), round(now, 1) if now is not None else None, "%",
                               str(_("30 ngày qua")), state=state, change_pct=pct_change(now, before),
                               change_vs=str(_("30 ngày trước đó"))),
                        Figure(str(_("Hồ sơ tiếp nhận")), received, str(_("hồ sơ")), period, partial=partial)],
                       None, "", state)


SERIES = SeriesDef("""SELECT date_trunc('month', d.received_at)::date, count(*) FROM layers_dossier d
                      WHERE d.received_at >= date_trunc('month', now()) - interval '24 months' {f_unit_d} GROUP BY 1 ORDER BY 1""", _("Hồ sơ tiếp nhận"), _("hồ sơ"))

RANKING = RankingDef("""SELECT u.id, u.code, u.name, count(*) FROM layers_dossier d
                          JOIN layers_adminunit u ON u.id = d.unit_id
                         WHERE d.status = 'processing' AND d.due_at < now() {f_unit_u}
                         GROUP BY u.id ORDER BY 4 DESC, u.code LIMIT 30""", _("Hồ sơ quá hạn"), _("hồ sơ"),
                     drill_url="/dashboard/public_services/unit/{code}/")

RECORDS = (RecordsDef(
    _("Hồ sơ quá hạn của bộ phận một cửa (quá hạn lâu nhất trước)"),
    """SELECT count(*) OVER (), d.centre_id, d.code, d.procedure, d.received_at, d.due_at,
              extract(day FROM now() - d.due_at)::int, d.channel, c.name
         FROM layers_dossier d JOIN layers_servicecentre c ON c.id = d.centre_id
        WHERE d.unit_id = %(u)s AND d.status = 'processing' AND d.due_at < now()
        ORDER BY d.due_at, d.code LIMIT %(n)s""",
    (Column(_("Mã hồ sơ")), Column(_("Thủ tục")), Column(_("Tiếp nhận"), kind="date"), Column(_("Hạn"), kind="date"),
     Column(_("Quá hạn"), _("ngày"), kind="number"), Column(_("Kênh"), choices=tuple(Dossier.Channel.choices)),
     Column(_("Bộ phận một cửa"))),
    layer="public-service-centres"),)


def unit_overdue_dossiers(*, unit_code: str, limit: int = 500) -> list[dict]:
    """The drill-down: overdue dossiers of one unit, most overdue first."""
    found = read_rows("""SELECT d.code, d.procedure, d.received_at, d.due_at, d.channel, c.name,
                                extract(day FROM now() - d.due_at)::int
                           FROM layers_dossier d JOIN layers_adminunit u ON u.id = d.unit_id
                           JOIN layers_servicecentre c ON c.id = d.centre_id
                          WHERE u.code = %s AND d.status = 'processing' AND d.due_at < now()
                          ORDER BY d.due_at LIMIT %s""", [unit_code, limit])
    return [{"code": r[0], "procedure": r[1], "received_at": r[2], "due_at": r[3], "channel": r[4], "centre": r[5],
             "days_overdue": r[6]} for r in found]


def overdue_dossiers() -> list[Firing]:
    """Overdue dossiers of a unit above its level's limit; critical at twice that."""
    out = []
    for uid, name, level, n, wkt in rows("""
        SELECT u.id, u.name, u.level, count(*), ST_AsText(ST_PointOnSurface(u.geom))
          FROM layers_dossier d JOIN layers_adminunit u ON u.id = d.unit_id
         WHERE d.status = 'processing' AND d.due_at < now()
         GROUP BY u.id HAVING count(*) > CASE WHEN u.level = 'district' THEN %s ELSE %s END""",
                                         [OVERDUE_LIMIT["district"], OVERDUE_LIMIT["commune"]]):
        limit = OVERDUE_LIMIT["district" if level == "district" else "commune"]
        out.append(Firing(f"overdue_dossiers:{uid}", "overdue_dossiers", "public_services",
                          "critical" if n > CRITICAL_FACTOR * limit else "warning",
                          f"{n} hồ sơ quá hạn tại {name}", n, limit, uid, wkt))
    return out



DATASETS = (
    DataSet("public_service_monthly", "Hồ sơ thủ tục hành chính theo tháng", "Administrative dossiers per month", "vp_ubnd", "monthly",
            OrgUnits(level="district"),
            (
             Element("received", "Số hồ sơ tiếp nhận", "Dossiers received", unit="hồ sơ", max=20000),
             Element("resolved", "Số hồ sơ đã giải quyết", "Dossiers resolved", unit="hồ sơ", max=20000),
             Element("resolved_on_time", "Số hồ sơ giải quyết đúng hạn", "Dossiers resolved on time", unit="hồ sơ", max=20000),
             ),
            rules=(Rule.le("resolved_on_time", "resolved", "Số hồ sơ đúng hạn không được lớn hơn số hồ sơ đã giải quyết", "On-time dossiers cannot exceed resolved dossiers"),),
            due_days=10, domain="public_services"),
)


DOMAIN = Domain(
    id="public_services", title_vi="Dịch vụ công", title_en="Public services",
    layers=LAYERS + report_layers(DATASETS, domain="public_services"), card_layers=("public-service-centres",), card=card, series=SERIES, ranking=RANKING,
    rules=(overdue_dossiers,), drill_down=("province", "district", "commune", "dossier"), records=RECORDS,
    datasets=DATASETS,
)
