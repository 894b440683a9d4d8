"""Traffic safety: accidents, black spots (derived from accident clusters), cameras and the
accident density per road segment; an alert when a black spot's month is above its average."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import shapely
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _
from pyproj import Transformer

from layers.models import BlackSpot, RoadSegment, TrafficAccident, TrafficCamera
from layers.registry import Style, layer_from_model, layer_from_view
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
    complete_month,
    month_label,
    month_period,
    month_so_far,
    pct_change,
    rows,
    trend_state,
)
from operations.intake.report_layers import report_layers
from operations.intake.spec import DataSet, Element, OrgUnits, Rule

RED_ABOVE_PCT = 10  # accidents this month against last month, the card's state
CLUSTER_METRES = 250  # black spots: DBSCAN of the last 12 months' accidents
CLUSTER_MIN_ACCIDENTS = 5
SPOT_MATCH_METRES = 300  # a cluster this close to a known spot updates it
SEGMENT_KM = 5.0
ALERT_MIN_ACCIDENTS = 2  # accidents near a spot in the latest month before an alert

LAYERS = (
    layer_from_model(
        TrafficAccident, id="traffic-accidents", title_vi="Tai nạn giao thông",
        department="Công an tỉnh (Phòng CSGT)", cadence="monthly",
        title_en="Traffic accidents", domain="traffic", time_field="occurred_at", editable=True,
        units={"deaths": _("người"), "injuries": _("người")}, cluster=True, title_field="road",
        style=Style(color="#dd6b20", by="severity", palette=(
            ("minor", "#fbd38d"), ("serious", "#ed8936"), ("very_serious", "#c05621"),
            ("critical", "#7b341e"))),
    ),
    layer_from_model(
        BlackSpot, id="traffic-black-spots", title_vi="Điểm đen tai nạn giao thông",
        department="Sở Giao thông vận tải",
        title_en="Accident black spots", domain="traffic", time_field="identified_on",
        units={"accidents_12m": _("vụ")}, title_field="name", editable=True,
        style=Style(color="#1a202c", radius=9),
    ),
    layer_from_model(
        TrafficCamera, id="traffic-cameras", title_vi="Camera giao thông", title_en="Traffic cameras",
        domain="traffic", title_field="name", editable=True, style=Style(color="#805ad5", radius=5),
    ),
    layer_from_view(
        id="road-accident-density", title_vi="Mật độ tai nạn theo đoạn đường",
        title_en="Accident density by road segment",
        domain="traffic", table="ioc_road_density", geometry_type="LineString", title_field="road",
        fields=(("road", "string", _("tuyến đường")), ("km_from", "number", _("từ km"), "km"),
                ("km_to", "number", _("đến km"), "km"), ("accidents_12m", "integer", _("tai nạn 12 tháng"), _("vụ")),
                ("accidents_per_km", "number", _("tai nạn trên 1 km"), _("vụ/km"))),
        style=Style(color="#c05621", weight=5),
    ),
)


def card(district: int | None) -> CardFigures:
    """The latest complete month's accidents, deaths and injuries against the month before, and the
    accidents of the month not over yet, labelled as such."""
    n, before, m, deaths, injuries = complete_month(
        "layers_trafficaccident", "occurred_at", district,
        ", sum(t.deaths) FILTER (WHERE t.occurred_at >= w.m), sum(t.injuries) FILTER (WHERE t.occurred_at >= w.m)")
    change = pct_change(n, before)
    period = month_period(m)[0]
    figures = [Figure(str(_("Tai nạn giao thông")), n, str(_("vụ")), period),
               Figure(str(_("Số người chết")), deaths or 0, str(_("người")), period),
               Figure(str(_("Số người bị thương")), injuries or 0, str(_("người")), period)]
    so_far = month_so_far("layers_trafficaccident", "occurred_at", district, label=str(_("Tai nạn giao thông")), unit_name=str(_("vụ")))
    if so_far.partial:  # the complete month leads; the month not over yet follows, labelled
        figures.append(so_far)
    vs = month_label(m and (m - timedelta(days=1)).replace(day=1))
    return CardFigures(figures, change, vs, trend_state(change, red_above=RED_ABOVE_PCT))


SERIES = SeriesDef("""SELECT date_trunc('month', t.occurred_at)::date, count(*) FROM layers_trafficaccident t
                      WHERE t.occurred_at >= date_trunc('month', now()) - interval '24 months' {f_commune} GROUP BY 1 ORDER BY 1""", _("Tai nạn giao thông"), _("vụ"))

RANKING = RankingDef("""SELECT u.id, u.code, u.name, count(*) FROM layers_trafficaccident t
                          JOIN layers_adminunit u ON u.id = t.commune_id
                         WHERE t.occurred_at > (SELECT max(occurred_at) FROM layers_trafficaccident) - interval '12 months'
                         {f_commune} GROUP BY u.id ORDER BY 4 DESC, u.code LIMIT 30""",
                     _("Tai nạn 12 tháng qua"), _("vụ"), drill_url="/dashboard/traffic/unit/{code}/")

RECORDS = (RecordsDef(
    _("Tai nạn giao thông 12 tháng qua (mới nhất trước)"),
    f"""SELECT count(*) OVER (), t.id, t.occurred_at, t.severity, t.deaths, t.injuries, t.road, u.name
          FROM layers_trafficaccident t JOIN layers_adminunit u ON u.id = t.commune_id
         WHERE t.commune_id IN {UNIT_IDS}
           AND t.occurred_at > (SELECT max(occurred_at) FROM layers_trafficaccident) - interval '12 months'
         ORDER BY t.occurred_at DESC, t.id LIMIT %(n)s""",
    (Column(_("Thời điểm"), kind="datetime"), Column(_("Mức độ"), choices=tuple(TrafficAccident.Severity.choices)),
     Column(_("Số người chết"), _("người"), kind="number"), Column(_("Số người bị thương"), _("người"), kind="number"),
     Column(_("Tuyến đường")), Column(_("Xã/phường"))),
    layer="traffic-accidents"),)


def black_spot_accidents() -> list[Firing]:
    """Accidents near a black spot in the latest month above the monthly average of the twelve
    months before (and at least ALERT_MIN_ACCIDENTS)."""
    out = []
    for sid, name, uid, recent, avg, wkt in rows("""
        WITH last AS (SELECT date_trunc('month', max(occurred_at)) AS m FROM layers_trafficaccident)
        SELECT b.id, b.name, b.commune_id,
               count(*) FILTER (WHERE a.occurred_at >= last.m),
               count(*) FILTER (WHERE a.occurred_at < last.m AND a.occurred_at >= last.m - interval '12 months') / 12.0,
               ST_AsText(b.geom)
          FROM layers_blackspot b CROSS JOIN last
          JOIN layers_trafficaccident a ON ST_DWithin(a.geom::geography, b.geom::geography, %s)
         GROUP BY b.id, last.m""", [SPOT_MATCH_METRES]):
        if recent >= ALERT_MIN_ACCIDENTS and recent > float(avg):
            out.append(Firing(f"black_spot:{sid}", "black_spot_accidents", "traffic",
                              "critical" if recent > 2 * float(avg) else "warning",
                              f"{recent} vụ tai nạn trong tháng tại {name} (trung bình {float(avg):.1f})",
                              recent, float(avg), uid, wkt))
    return out


def derive_black_spots(*, today: date | None = None) -> tuple[int, int]:
    """Clusters of accidents in the last 12 months (DBSCAN) become black spots; an existing spot
    close by is updated instead. Returns (created, updated)."""
    created = updated = 0
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("""
            WITH last AS (SELECT max(occurred_at) AS m FROM layers_trafficaccident),
            recent AS (SELECT a.geom, a.road,
                              ST_ClusterDBSCAN(ST_Transform(a.geom, 32648), eps := %s, minpoints := %s) OVER () AS cid
                         FROM layers_trafficaccident a, last WHERE a.occurred_at > last.m - interval '12 months')
            SELECT ST_AsText(ST_Centroid(ST_Collect(geom))), count(*), mode() WITHIN GROUP (ORDER BY road)
              FROM recent WHERE cid IS NOT NULL GROUP BY cid ORDER BY 2 DESC""",
                    [CLUSTER_METRES, CLUSTER_MIN_ACCIDENTS])
        for wkt, n, road in cur.fetchall():
            cur.execute("""SELECT id FROM layers_blackspot
                            WHERE ST_DWithin(geom::geography, ST_GeomFromText(%s, 4326)::geography, %s)
                            ORDER BY ST_Distance(geom::geography, ST_GeomFromText(%s, 4326)::geography) LIMIT 1""",
                        [wkt, SPOT_MATCH_METRES, wkt])
            row = cur.fetchone()
            if row:
                BlackSpot.objects.filter(pk=row[0]).update(accidents_12m=n)
                updated += 1
            else:
                BlackSpot.objects.create(name=f"Điểm đen {road} #{created + 1}", road=road, accidents_12m=n,
                                         identified_on=today or date.today(), geom=f"SRID=4326;{wkt}")
                created += 1
    return created, updated


def build_road_segments(roads: list[tuple[str, list[tuple[float, float]]]]) -> int:
    """Cut each road polyline into pieces of about SEGMENT_KM."""
    to_utm = Transformer.from_crs(4326, 32648, always_xy=True)
    to_wgs = Transformer.from_crs(32648, 4326, always_xy=True)
    out = []
    for name, coords in roads:
        line = shapely.LineString(np.array([to_utm.transform(x, y) for x, y in coords]))
        n = max(1, round(line.length / (SEGMENT_KM * 1000)))
        for i in range(n):
            a, b = line.length * i / n, line.length * (i + 1) / n
            seg = shapely.ops.substring(line, a, b)
            wgs = shapely.transform(seg, lambda p: np.column_stack(to_wgs.transform(p[:, 0], p[:, 1])))
            out.append(RoadSegment(road=name, km_from=round(a / 1000, 1), km_to=round(b / 1000, 1), geom=wgs.wkt))
    RoadSegment.objects.bulk_create(out)
    return len(out)



DATASETS = (
    DataSet("traffic_monthly", "Tai nạn giao thông theo tháng", "Traffic accidents per month", "cong_an", "monthly",
            OrgUnits(level="district"),
            (
             Element("accidents", "Số vụ tai nạn", "Accidents", unit="vụ", max=500),
             Element("casualties", "Số người thương vong", "Casualties", unit="người", max=1000),
             Element("deaths", "Số người chết", "Deaths", unit="người", max=500),
             ),
            rules=(Rule.le("deaths", "casualties", "Số người chết không được lớn hơn số người thương vong", "Deaths cannot exceed casualties"),),
            due_days=10, domain="traffic"),
)


DOMAIN = Domain(
    id="traffic", title_vi="An toàn giao thông", title_en="Traffic safety",
    layers=LAYERS + report_layers(DATASETS, domain="traffic"),
    card_layers=("traffic-accidents", "traffic-black-spots", "road-accident-density", "traffic-cameras"),
    card=card, series=SERIES, ranking=RANKING, rules=(black_spot_accidents,),
    drill_down=("province", "district", "commune", "accident"), records=RECORDS,
    datasets=DATASETS,
)
