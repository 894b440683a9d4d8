"""Geometry helpers shared by every way in (import, OGC writes, field editor, admin, rasters):
the CRS names we accept (one table) and the repair of invalid geometries."""

from __future__ import annotations

import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from gis_server.errors import BadRequest

# Short names people type, and the OGC/EPSG URIs clients send in Content-Crs -> EPSG code.
CRS_ALIASES: dict[str, int] = {
    "WGS84": 4326, "CRS84": 4326,
    "VN2000": 9212, "VN-2000": 9212, "VN2000-BINHPHUOC": 9212,  # VN-2000 / TM-3 106-15 (Bình Phước's zone)
    "UTM48N": 32648,  # WGS 84 / UTM 48N
    "VN2000-UTM48N": 3405,  # VN-2000 / UTM 48N
    "http://www.opengis.net/def/crs/OGC/1.3/CRS84": 4326,
}
# The systems a write may come in (Content-Crs); anything else is refused.
WRITE_SRIDS = (4326, 9212, 32648, 3405)
CRS_HELP = "EPSG:9212 (VN-2000 Bình Phước), EPSG:32648 (UTM 48N) or EPSG:4326"

# geometry type -> its family (points, lines, polygons) and the family's Multi* type
FAMILY = {"Point": "Point", "MultiPoint": "Point", "LineString": "LineString", "MultiLineString": "LineString",
          "Polygon": "Polygon", "MultiPolygon": "Polygon"}
MULTI = {"Point": "MultiPoint", "LineString": "MultiLineString", "Polygon": "MultiPolygon"}
PROMOTE = {"Point": shapely.multipoints, "LineString": shapely.multilinestrings, "Polygon": shapely.multipolygons}


class UnknownCRS(BadRequest):
    pass


def epsg_code(text: str) -> int | None:
    """The EPSG code of an alias, `EPSG:n` or an OGC/EPSG URI; None when it is none of these."""
    t = text.strip().strip("<>")
    if t.upper() in CRS_ALIASES:
        return CRS_ALIASES[t.upper()]
    if t in CRS_ALIASES:
        return CRS_ALIASES[t]
    for prefix in ("EPSG:", "http://www.opengis.net/def/crs/EPSG/0/", "https://www.opengis.net/def/crs/EPSG/0/"):
        if t.upper().startswith(prefix.upper()) and t[len(prefix):].isdigit():
            return int(t[len(prefix):])
    return None


def parse_crs(text: str) -> CRS:
    """A pyproj CRS from an alias or anything pyproj understands; UnknownCRS otherwise."""
    code = epsg_code(text)
    try:
        return CRS.from_epsg(code) if code else CRS.from_user_input(text)
    except CRSError:
        raise UnknownCRS(f"unknown CRS {text!r}: give an EPSG code such as {CRS_HELP}") from None


def write_srid(content_crs: str | None) -> int:
    """The SRID of a write's Content-Crs header (CRS84 when absent)."""
    if not content_crs:
        return 4326
    srid = epsg_code(content_crs)
    if srid not in WRITE_SRIDS:
        raise UnknownCRS(f"Content-Crs {content_crs!r} is not accepted; use CRS84, {CRS_HELP}",
                         {"Content-Crs": "not accepted"})
    return srid


def repair(g):
    """A valid version of an invalid geometry, keeping only parts of its own family (a polygon
    stays polygons); None when nothing of that family is left."""
    fixed = shapely.make_valid(g)
    parts = [p for p in getattr(fixed, "geoms", [fixed]) if FAMILY.get(p.geom_type) == FAMILY.get(g.geom_type)]
    if not parts:
        return None
    return shapely.union_all(parts) if len(parts) > 1 else parts[0]


def to_multi(g):
    """A single geometry as a one-part Multi* (Multi* and collections unchanged)."""
    return PROMOTE[g.geom_type]([g]) if g.geom_type in PROMOTE else g
