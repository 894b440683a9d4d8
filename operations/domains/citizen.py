"""Citizen reports: the reports layer (no personal data published), open and overdue counts,
duplicate detection, the public status page, and an alert when a commune's reports pile up."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection
from django.utils.translation import gettext_lazy as _

from layers.models import CitizenReport
from layers.registry import Style, layer_from_model
from operations.domain import (
    UNIT_IDS,
    CardFigures,
    Column,
    Domain,
    Figure,
    Firing,
    RankingDef,
    RecordsDef,
    SeriesDef,
    commune_filter,
    month_so_far,
    read_one,
    rows,
)
from operations.intake.report_layers import report_layers
from operations.intake.spec import DataSet, Element, OrgUnits, Rule

AMBER_BELOW_OVERDUE = 20  # overdue reports, the card's state (none: green)
ALERT_MIN_OVERDUE = 3  # overdue reports of one commune before an alert
DUPLICATE_METRES = 50
DUPLICATE_DAYS = 7

LAYERS = (
    layer_from_model(
        CitizenReport, id="citizen-reports", title_vi="Phản ánh hiện trường", title_en="Citizen field reports",
        department="Trung tâm IOC (đường dây nóng 1022)", cadence="daily",
        domain="citizen", access="internal", time_field="received_at", editable=True, cluster=True,
        title_field="code",
        fields=("code", "category", "description", "channel", "status", "received_at", "due_date"),
        style=Style(color="#319795", by="status", palette=(
            ("new", "#e53e3e"), ("assigned", "#dd6b20"), ("in_progress", "#d69e2e"), ("resolved", "#38a169"),
            ("rejected", "#718096"))),
    ),
)


def card(district: int | None) -> CardFigures:
    f, p = commune_filter("r.commune_id", district)
    open_, overdue = read_one(f"""SELECT count(*) FILTER (WHERE r.status NOT IN ('resolved', 'rejected')),
                                    count(*) FILTER (WHERE r.status NOT IN ('resolved', 'rejected')
                                                       AND r.due_date < current_date)
                               FROM layers_citizenreport r WHERE true{f}""", p)
    state = "green" if overdue == 0 else "amber" if overdue < AMBER_BELOW_OVERDUE else "red"
    return CardFigures([Figure(str(_("Phản ánh đang mở")), open_, str(_("phản ánh")), str(_("hiện tại"))),
                        Figure(str(_("Phản ánh quá hạn")), overdue, str(_("phản ánh")), str(_("hiện tại")), state=state),
                        month_so_far("layers_citizenreport", "received_at", district,
                                     label=str(_("Phản ánh tiếp nhận")), unit_name=str(_("phản ánh")))],
                       None, "", state)


SERIES = SeriesDef("""SELECT date_trunc('month', t.received_at)::date, count(*) FROM layers_citizenreport t
                      WHERE t.received_at >= date_trunc('month', now()) - interval '24 months' {f_commune} GROUP BY 1 ORDER BY 1""", _("Phản ánh tiếp nhận"), _("phản ánh"))

RANKING = RankingDef("""SELECT u.id, u.code, u.name, count(*) FROM layers_citizenreport t
                          JOIN layers_adminunit u ON u.id = t.commune_id
                         WHERE t.status NOT IN ('resolved', 'rejected') AND t.due_date < current_date {f_commune}
                         GROUP BY u.id ORDER BY 4 DESC, u.code LIMIT 30""", _("Phản ánh quá hạn"), _("phản ánh"),
                     drill_url="/dashboard/citizen/unit/{code}/")

RECORDS = (RecordsDef(
    _("Phản ánh đang mở (quá hạn lâu nhất trước)"),
    f"""SELECT count(*) OVER (), t.id, t.code, t.category, t.status, t.received_at, t.due_date,
               greatest(current_date - t.due_date, 0), u.name
          FROM layers_citizenreport t JOIN layers_adminunit u ON u.id = t.commune_id
         WHERE t.commune_id IN {UNIT_IDS} AND t.status NOT IN ('resolved', 'rejected')
         ORDER BY t.due_date, t.code LIMIT %(n)s""",
    (Column(_("Mã phản ánh")), Column(_("Lĩnh vực"), choices=tuple(CitizenReport.Category.choices)),
     Column(_("Trạng thái"), choices=tuple(CitizenReport.Status.choices)), Column(_("Tiếp nhận"), kind="date"),
     Column(_("Hạn xử lý"), kind="date"), Column(_("Quá hạn"), _("ngày"), kind="number"), Column(_("Xã/phường"))),
    layer="citizen-reports"),)


def citizen_overdue() -> list[Firing]:
    """ALERT_MIN_OVERDUE or more citizen reports of a commune past their due date and not closed."""
    out = []
    for uid, name, n, wkt in rows("""
        SELECT u.id, u.name, count(*), ST_AsText(ST_PointOnSurface(u.geom))
          FROM layers_citizenreport r JOIN layers_adminunit u ON u.id = r.commune_id
         WHERE r.status NOT IN ('resolved', 'rejected') AND r.due_date < current_date
         GROUP BY u.id HAVING count(*) >= %s""", [ALERT_MIN_OVERDUE]):
        out.append(Firing(f"citizen_overdue:{uid}", "citizen_overdue", "citizen", "warning",
                          f"{n} phản ánh quá hạn xử lý tại {name}", n, ALERT_MIN_OVERDUE, uid, wkt))
    return out


def possible_duplicates(*, category: str, lon: float, lat: float, at: datetime, exclude: int | None = None,
                        limit: int = 10) -> list[dict]:
    """Reports of the same category within DUPLICATE_METRES and DUPLICATE_DAYS: offered as duplicates."""
    with connection.cursor() as cur:
        cur.execute("""
            SELECT r.id, r.code, r.status, r.received_at,
                   round(ST_Distance(r.geom::geography, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography)::numeric, 1)
              FROM layers_citizenreport r
             WHERE r.category = %s AND r.id <> coalesce(%s, -1)
               AND r.received_at BETWEEN %s AND %s
               AND ST_DWithin(r.geom::geography, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s)
             ORDER BY 5 LIMIT %s""",
                    [lon, lat, category, exclude, at - timedelta(days=DUPLICATE_DAYS), at + timedelta(days=DUPLICATE_DAYS),
                     lon, lat, DUPLICATE_METRES, limit])
        return [{"id": i, "code": c, "status": s, "received_at": r.isoformat(), "distance_m": float(d)}
                for i, c, s, r, d in cur.fetchall()]


def duplicates_of_new_report(feature: dict, fid: int) -> list[dict]:
    """Possible duplicates of a report just created (offered, not enforced: staff decide)."""
    lon, lat = feature["geometry"]["coordinates"]
    return possible_duplicates(category=feature["properties"]["category"], lon=lon, lat=lat,
                               at=datetime.fromisoformat(feature["properties"]["received_at"]), exclude=fid)


def public_status(code: str) -> dict | None:
    """What anyone may know about a report: no name, no phone, no exact position."""
    with connection.cursor() as cur:
        cur.execute("""SELECT r.code, r.category, r.status, r.received_at, r.due_date, a.name, c.name
                         FROM layers_citizenreport r
                         LEFT JOIN layers_adminunit a ON a.id = r.assigned_unit_id
                         LEFT JOIN layers_adminunit c ON c.id = r.commune_id
                        WHERE r.code = %s""", [code])
        row = cur.fetchone()
    if row is None:
        return None
    return {"code": row[0], "category": row[1], "status": row[2], "received_at": row[3].isoformat(),
            "due_date": row[4].isoformat(), "assigned_unit": row[5], "commune": row[6]}



DATASETS = (
    DataSet("citizen_feedback_monthly", "Tiếp nhận, xử lý phản ánh theo tháng", "Citizen reports received and handled per month", "vp_ubnd", "monthly",
            OrgUnits(level="district"),
            (
             Element("received", "Số phản ánh tiếp nhận", "Reports received", unit="phản ánh", max=5000),
             Element("handled", "Số phản ánh đã xử lý", "Reports handled", unit="phản ánh", max=5000),
             ),
            rules=(Rule.le("handled", "received", "Số phản ánh đã xử lý không được lớn hơn số tiếp nhận", "Handled reports cannot exceed reports received"),),
            due_days=10, domain="citizen"),
)


DOMAIN = Domain(
    id="citizen", title_vi="Phản ánh của công dân", title_en="Citizen interaction",
    layers=LAYERS + report_layers(DATASETS, domain="citizen"), card_layers=("citizen-reports",), card=card, series=SERIES, ranking=RANKING,
    rules=(citizen_overdue,), drill_down=("province", "district", "commune", "report"), records=RECORDS,
    datasets=DATASETS,
)
