"""Traffic services: black spots derived from accident clusters, road segments."""

from __future__ import annotations

from datetime import date

import numpy as np
import shapely
from django.db import connection, transaction
from pyproj import Transformer

from layers.models import BlackSpot, RoadSegment

CLUSTER_METRES = 250
CLUSTER_MIN_ACCIDENTS = 5
SEGMENT_KM = 5.0


def derive_black_spots(*, today: date | None = None) -> tuple[int, int]:
    """Clusters of accidents in the last 12 months (DBSCAN, 250 m, at least 5) become black
    spots; an existing spot within 300 m is updated instead. Returns (created, updated)."""
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
        clusters = cur.fetchall()
        for wkt, n, road in clusters:
            cur.execute("""SELECT id FROM layers_blackspot
                            WHERE ST_DWithin(geom::geography, ST_GeomFromText(%s, 4326)::geography, 300)
                            ORDER BY ST_Distance(geom::geography, ST_GeomFromText(%s, 4326)::geography) LIMIT 1""",
                        [wkt, wkt])
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
    """Cut each road polyline into pieces of about 5 km."""
    to_utm = Transformer.from_crs(4326, 32648, always_xy=True)
    to_wgs = Transformer.from_crs(32648, 4326, always_xy=True)
    rows = []
    for name, coords in roads:
        xy = np.array([to_utm.transform(x, y) for x, y in coords])
        line = shapely.LineString(xy)
        n = max(1, round(line.length / (SEGMENT_KM * 1000)))
        for i in range(n):
            a, b = line.length * i / n, line.length * (i + 1) / n
            seg = shapely.ops.substring(line, a, b)
            wgs = shapely.transform(seg, lambda p: np.column_stack(to_wgs.transform(p[:, 0], p[:, 1])))
            rows.append(RoadSegment(road=name, km_from=round(a / 1000, 1), km_to=round(b / 1000, 1), geom=wgs.wkt))
    RoadSegment.objects.bulk_create(rows)
    return len(rows)
