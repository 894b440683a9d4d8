"""Vector tiles (Mapbox Vector Tile) built by PostGIS with ST_AsMVT, for every vector layer:
geometry simplified to the tile's pixel size, a small attribute subset, a cap per tile."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings

from gis_server.db import read_connection
from gis_server.errors import NotFound
from layers.registry import LayerSpec

EXTENT = 4096
BUFFER = 64
MAX_FEATURES_PER_TILE = 30_000
WORLD = 40075016.68557849
_cache: OrderedDict[tuple, tuple[float, bytes, str]] = OrderedDict()
_lock = threading.Lock()


class TileError(NotFound):
    pass


def tile_fields(spec: LayerSpec) -> list:
    """The id, the title and styling attributes, and a few more: enough to draw and label."""
    names = [spec.title_field, spec.style.by, spec.time_field]
    names += [f.name for f in spec.fields][:4]
    seen, out = set(), []
    for n in names:
        f = spec.field(n) if n else None
        if f is not None and f.name not in seen:
            seen.add(f.name)
            out.append(f)
    return out


def _sql(spec: LayerSpec, row_filter: str = "") -> str:
    fields = tile_fields(spec)
    attrs = "".join(f', {f.sql}{"::text" if f.format else ""} AS "{f.name}"' for f in fields)
    needs_commune = any(f.sql.startswith("c.") for f in fields)
    join = " LEFT JOIN layers_adminunit c ON c.id = t.commune_id" if spec.joins_commune and needs_commune else ""
    where = (f" AND {spec.where}" if spec.where else "") + (f" AND {row_filter}" if row_filter else "")
    g = f't."{spec.geometry_field}"'
    merc = f't."{spec.tile_geometry}"' if spec.tile_geometry else f"ST_Transform({g}, 3857)"
    hit = f't."{spec.tile_geometry}" && b.env' if spec.tile_geometry else f"{g} && ST_Transform(b.env, 4326)"
    return f"""
        WITH b AS (SELECT ST_TileEnvelope(%s, %s, %s) AS env),
        rows AS (
          SELECT ST_AsMVTGeom(CASE WHEN %s > 5 THEN ST_Simplify({merc}, %s, true) ELSE {merc} END,
                              b.env, {EXTENT}, {BUFFER}, true) AS geom,
                 t."{spec.id_field}" AS id, t."{spec.id_field}" AS fid{attrs}
            FROM {spec.table} t{join}, b
           WHERE {hit}{where}
           LIMIT {MAX_FEATURES_PER_TILE})
        SELECT ST_AsMVT(rows, %s, {EXTENT}, 'geom', 'id') FROM rows WHERE geom IS NOT NULL"""


def render(spec: LayerSpec, z: int, x: int, y: int, audience: frozenset[str] | None = None) -> tuple[bytes, str]:
    """(tile bytes, ETag); cached for a few seconds per process, dropped on edits."""
    if not 0 <= z <= 22 or not (0 <= x < 2**z and 0 <= y < 2**z):
        raise TileError(f"no tile {z}/{y}/{x} in WebMercatorQuad")
    row_sql, row_params = spec.row_filter(audience or frozenset()) if spec.row_filter else ("", [])
    key = (spec.id, z, x, y, (audience or frozenset()) if spec.row_filter else None)
    now = time.monotonic()
    ttl = settings.IOC_TILE_CACHE_SECONDS
    with _lock:
        hit = _cache.get(key)
        if hit and now - hit[0] < ttl:
            return hit[1], hit[2]
    pixel = WORLD / (256 * 2**z)
    with read_connection().cursor() as cur:
        # below ~5 m a pixel, ST_AsMVTGeom's own snapping to the tile grid is simplification enough
        cur.execute(_sql(spec, row_sql), [z, x, y, pixel, pixel / 2, *row_params, spec.id])
        data = bytes(cur.fetchone()[0] or b"")
    etag = '"' + hashlib.md5(data).hexdigest() + '"'
    with _lock:
        _cache[key] = (now, data, etag)
        while len(_cache) > 2000:
            _cache.popitem(last=False)
    return data, etag


def invalidate(layer_id: str) -> None:
    with _lock:
        for k in [k for k in _cache if k[0] == layer_id]:
            del _cache[k]


def tileset(spec: LayerSpec, base: str) -> dict:
    """OGC API - Tiles tileset metadata (with TileJSON-style fields for web maps)."""
    url = f"{base}/collections/{spec.id}/tiles/WebMercatorQuad"
    return {
        "title": spec.title_en, "dataType": "vector", "crs": "http://www.opengis.net/def/crs/EPSG/0/3857",
        "tileMatrixSetURI": "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad",
        "links": [
            {"rel": "self", "type": "application/json", "href": url},
            {"rel": "item", "type": "application/vnd.mapbox-vector-tile", "templated": True,
             "href": f"{url}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}"},
            {"rel": "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme", "type": "application/json",
             "href": f"{base}/TileMatrixSets/WebMercatorQuad"},
        ],
        "layers": [{"id": spec.id, "dataType": "vector", "geometryType": spec.geometry_type.lower(),
                    "propertiesSchema": {"type": "object", "properties": {f.name: f.schema() for f in tile_fields(spec)}}}],
        "tilejson": "3.0.0", "tiles": [f"{url}/{{z}}/{{y}}/{{x}}"], "minzoom": 0, "maxzoom": 22,
        "vector_layers": [{"id": spec.id, "fields": {f.name: f.type for f in tile_fields(spec)}}],
    }
