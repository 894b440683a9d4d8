"""The pygeoapi configuration as a pure function of the layer registry (no YAML)."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, connection, transaction
from pygeoapi.config import validate_config

from layers.domains import domains
from layers.registry import LayerSpec
from ogc.templates import SOURCE as PYGEOAPI_TEMPLATES
from ogc.templates import offline_templates_dir
from rasters.services import full_path

PYGEOAPI_STATIC = PYGEOAPI_TEMPLATES.parent / "static"

LOGGER = logging.getLogger(__name__)
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
ESTIMATE_EXTENT_ABOVE = 200_000  # rows; beyond this use the planner's extent


def layer_extents(spec: LayerSpec) -> dict:
    """Spatial and temporal extents of a layer, read from PostGIS (the province's box if the
    layer cannot be read: one broken layer must not take the whole API down)."""
    try:
        with transaction.atomic():
            return _layer_extents(spec)
    except DatabaseError as exc:
        if isinstance(exc, InterfaceError) or "connection" in str(exc).lower():
            raise
        LOGGER.warning("extents of layer %s: %s", spec.id, str(exc).splitlines()[0])
        return {"spatial": {"bbox": province_bbox(), "crs": CRS84}}


def province_bbox() -> list[float]:
    return list(settings.IOC_PROVINCE.bbox)


def _layer_extents(spec: LayerSpec) -> dict:
    geom = f't."{spec.geometry_field}"'
    where = f" WHERE {spec.where}" if spec.where else ""
    out: dict = {"spatial": {"bbox": province_bbox(), "crs": CRS84}}
    with connection.cursor() as cur:
        cur.execute("SELECT reltuples::bigint, relkind FROM pg_class WHERE oid = to_regclass(%s)",
                    [spec.table.replace('"', "")])
        row = cur.fetchone()
        big = bool(row and row[0] > ESTIMATE_EXTENT_ABOVE)
        if row and row[1] == "v":
            box = None  # a view computes its rows (aggregates, spatial joins): the province's box will do
        else:
            if big and not spec.where:
                schema, _, table = spec.table.replace('"', "").rpartition(".")
                cur.execute("SELECT ST_EstimatedExtent(%s, %s, %s)",
                            [schema or "public", table, spec.geometry_field])
            else:
                cur.execute(f"SELECT ST_Extent({geom}) FROM {spec.table} t{where}")
            box = cur.fetchone()[0]
        if box:
            cur.execute("SELECT ST_XMin(%s::box2d), ST_YMin(%s::box2d), ST_XMax(%s::box2d), ST_YMax(%s::box2d)",
                        [box] * 4)
            out["spatial"]["bbox"] = [round(v, 6) for v in cur.fetchone()]
        if spec.time_field:
            f = spec.field(spec.time_field)
            cur.execute(f"SELECT min({f.sql}), max({f.sql}) FROM {spec.table} t{where}")
            begin, end = cur.fetchone()
            if begin is not None:
                out["temporal"] = {"begin": _as_datetime(begin), "end": _as_datetime(end, True)}
    return out


def _as_datetime(v, end=False):
    if isinstance(v, datetime):
        return v
    if isinstance(v, date):
        return datetime.combine(v, time.max if end else time.min, tzinfo=UTC)
    return v


def collection_resource(spec: LayerSpec, audience: frozenset[str] = frozenset()) -> dict:
    dom_vi, dom_en = domains().get(spec.domain, domains()["other"])
    p = settings.IOC_PROVINCE
    return {
        "type": "collection",
        "title": {"vi": spec.title_vi, "en": spec.title_en},
        "description": {
            "vi": spec.description or f"{spec.title_vi} ({dom_vi}), tỉnh {p.name}",
            "en": spec.description or f"{spec.title_en} ({dom_en}), {p.name_en} province",
        },
        "keywords": {"vi": [dom_vi, spec.domain], "en": [dom_en, spec.domain]},
        "links": [],
        "extents": layer_extents(spec),
        "providers": [provider_def(spec, audience)],
    }


def provider_def(spec: LayerSpec, audience: frozenset[str] = frozenset()) -> dict:
    """pygeoapi's provider definition; a layer whose rows follow other layers' access also gets
    the audience of this configuration (the API is built per audience, see ogc.api)."""
    out = {
        "type": "feature",
        "name": "ogc.provider.PostGISLayerProvider",
        "data": spec.id,
        "id_field": spec.id_field,
        "editable": spec.editable,
    }
    if spec.time_field:
        out["time_field"] = spec.time_field
    if spec.title_field:
        out["title_field"] = spec.title_field
    if spec.row_filter is not None:
        out["audience"] = sorted(audience)
    return out


def raster_resource(rec) -> dict:
    minx, miny, maxx, maxy = rec.footprint.extent
    out = {
        "type": "collection",
        "title": {"vi": rec.title_vi, "en": rec.title_en},
        "description": {"vi": f"{rec.title_vi} (raster COG, {rec.resolution:g} m)",
                        "en": f"{rec.title_en} (COG raster, {rec.resolution:g} m)"},
        "keywords": {"vi": ["raster", rec.domain], "en": ["raster", rec.domain]},
        "links": [],
        "extents": {"spatial": {"bbox": [round(v, 6) for v in (minx, miny, maxx, maxy)], "crs": CRS84}},
        "providers": [{"type": "coverage", "name": "rasterio", "data": str(full_path(rec)),
                       "options": {"DATA_ENCODING": "COG"}, "format": {"name": "GTiff", "mimetype": "application/tiff"}}],
    }
    return out


def build_config(base_url: str, layers: list[LayerSpec], rasters=(), processes: bool = True) -> dict:
    """The whole pygeoapi configuration for these layers, served at base_url."""
    p = settings.IOC_PROVINCE
    cfg = {
        "server": {
            "bind": {"host": "127.0.0.1", "port": 8000},
            "url": base_url,
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "gzip": False,
            "languages": ["vi", "en"],
            "pretty_print": False,
            "limits": {"default_items": 100, "max_items": 10000, "on_exceed": "throttle"},
            "map": {"url": "", "attribution": ""},  # no internet tiles; see ogc.templates
            "admin": False,
            "templates": {"path": str(offline_templates_dir()), "static": str(PYGEOAPI_STATIC)},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": {"vi": f"IOC GIS tỉnh {p.name}", "en": f"{p.name_en} IOC GIS"},
                "description": {
                    "vi": f"Dữ liệu không gian của Trung tâm điều hành thông minh tỉnh {p.name}",
                    "en": f"Geospatial layers of the {p.name_en} Intelligent Operation Center",
                },
                "keywords": {"vi": ["IOC", "GIS", p.name], "en": ["IOC", "GIS", p.name_en]},
                "keywords_type": "theme",
                "terms_of_service": "https://creativecommons.org/licenses/by/4.0/",
                "url": base_url,
            },
            "license": {"name": "CC-BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
            "provider": {"name": f"IOC tỉnh {p.name}", "url": base_url},
            "contact": {"name": "Trung tâm IOC", "position": "GIS", "address": p.capital,
                        "city": p.capital, "stateorprovince": p.name, "postalcode": p.postal_code,
                        "country": "Việt Nam", "email": "ioc@example.invalid", "url": base_url,
                        "role": "pointOfContact"},
        },
        "resources": {spec.id: collection_resource(spec, frozenset(s.id for s in layers)) for spec in layers},
    }
    for rec in rasters:
        cfg["resources"][rec.slug] = raster_resource(rec)
    if processes:
        cfg["resources"]["zonal-statistics"] = {"type": "process",
                                                "processor": {"name": "rasters.processes.ZonalStatisticsProcessor"}}
    return cfg


def check_config(cfg: dict) -> None:
    """Validate with pygeoapi's own JSON schema (raises on error)."""
    validate_config(cfg)
