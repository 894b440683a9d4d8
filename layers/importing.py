"""Import a user's vector file into a new layer: its own table, registry entry, all-or-nothing."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from django.db import connection, transaction
from django.utils.text import slugify
from pyproj import CRS

from gis_server.errors import BadRequest
from layers import geometry, registry
from layers.domains import domains
from layers.models import ImportedLayer

LON_NAMES = ("lon", "lng", "long", "longitude", "x", "kinh_do", "kinhdo")
LAT_NAMES = ("lat", "latitude", "y", "vi_do", "vido")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
RESERVED = {"id", "geom", "commune_id", "commune"}
FAMILIES = {t: geometry.MULTI[f] for t, f in geometry.FAMILY.items()}  # type -> its Multi* type


class ImportError_(BadRequest):
    """A problem with the user's file or options, worded for the user."""


@dataclass
class ImportReport:
    layer: str
    table: str
    features: int
    geometry_type: str
    source_crs: str
    repaired: list[int] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    fields: list[dict] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"layer {self.layer!r}: {self.features:,} features ({self.geometry_type}) "
               f"from {self.source_crs} into {self.table}",
               f"fields: {', '.join(f['name'] + ':' + f['type'] for f in self.fields) or '(none)'}"]
        if self.repaired:
            out.append(f"repaired {len(self.repaired)} invalid geometries (rows {_rows(self.repaired)})")
        if self.rejected:
            out.append(f"skipped {len(self.rejected)} rows: " + "; ".join(f"row {r}: {why}" for r, why in self.rejected[:20]))
        return out


def _rows(rows: list[int]) -> str:
    s = ", ".join(str(r) for r in rows[:20])
    return s + (f" and {len(rows) - 20} more" if len(rows) > 20 else "")


def parse_crs(text: str) -> CRS:
    try:
        return geometry.parse_crs(text)
    except geometry.UnknownCRS as exc:
        raise ImportError_(exc.description) from None


def _column_name(raw: str, taken: set[str]) -> str:
    s = unicodedata.normalize("NFKD", str(raw).replace("Đ", "D").replace("đ", "d"))
    s = s.encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9_]+", "_", s).strip("_") or "field"
    if s[0].isdigit():
        s = "f_" + s
    s = s[:55]
    if s in RESERVED:
        s = f"{s}_src"
    base, i = s, 2
    while s in taken:
        s, i = f"{base}_{i}", i + 1
    taken.add(s)
    return s


def read_vector(path: Path, *, crs: str | None, lon: str | None, lat: str | None,
                source_layer: str | None) -> gpd.GeoDataFrame:
    """Read GeoPackage, Shapefile (zip or folder), GeoJSON or CSV with lon/lat columns."""
    if not path.exists():
        raise ImportError_(f"no such file or folder: {path}")
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            return _read_csv(path, crs=crs, lon=lon, lat=lat)
        target = str(path)
        if suffix == ".zip":
            if not zipfile.is_zipfile(path):
                raise ImportError_(f"{path.name} is not a valid zip archive")
            target = f"/vsizip/{path}"
        elif path.is_dir():
            shps = sorted(path.glob("*.shp"))
            if not shps:
                raise ImportError_(f"folder {path} holds no .shp file")
            if len(shps) > 1 and not source_layer:
                raise ImportError_(f"folder {path} holds several shapefiles; choose one with --source-layer "
                                   f"({', '.join(s.stem for s in shps)})")
            target = str(path / f"{source_layer}.shp") if source_layer else str(shps[0])
            source_layer = None
        gdf = gpd.read_file(target, layer=source_layer, engine="pyogrio")
    except ImportError_:
        raise
    except Exception as exc:  # pyogrio / GDAL errors: the file itself is the problem
        raise ImportError_(f"cannot read {path.name} as a vector file: {str(exc).splitlines()[0]}") from None
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry is None:
        raise ImportError_(f"{path.name} has no geometry column")
    if gdf.crs is None:
        if crs:
            gdf = gdf.set_crs(parse_crs(crs))
        else:
            raise ImportError_(f"{path.name} declares no coordinate system; give one with --crs "
                               f"(e.g. --crs EPSG:9212 for VN-2000 Bình Phước)")
    elif crs:
        raise ImportError_(f"{path.name} already declares its CRS ({gdf.crs.to_string()}); drop --crs")
    return gdf


def _read_csv(path: Path, *, crs, lon, lat) -> gpd.GeoDataFrame:
    try:
        df = pd.read_csv(path, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ImportError_(f"cannot read {path.name} as CSV: {str(exc).splitlines()[0]}") from None
    cols = {c.lower(): c for c in df.columns}
    lon = lon or next((cols[n] for n in LON_NAMES if n in cols), None)
    lat = lat or next((cols[n] for n in LAT_NAMES if n in cols), None)
    if lon not in df.columns or lat not in df.columns:
        raise ImportError_(f"{path.name}: no longitude/latitude columns found; name them with "
                           f"--lon-field and --lat-field (columns: {', '.join(map(str, df.columns))})")
    x = pd.to_numeric(df[lon], errors="coerce")
    y = pd.to_numeric(df[lat], errors="coerce")
    bad = df.index[x.isna() | y.isna()].tolist()
    geoms = np.array([None] * len(df), dtype=object)
    ok = ~(x.isna() | y.isna())
    geoms[ok.to_numpy()] = shapely.points(x[ok].to_numpy(), y[ok].to_numpy())
    gdf = gpd.GeoDataFrame(df.drop(columns=[lon, lat]), geometry=list(geoms), crs=parse_crs(crs or "EPSG:4326"))
    gdf.attrs["bad_coordinates"] = [i + 2 for i in bad]  # line numbers (header is line 1)
    return gdf


def clean_geometries(gdf: gpd.GeoDataFrame, *, skip_invalid: bool) -> tuple[gpd.GeoDataFrame, str, list, list]:
    """Repair what is unambiguous, reject the rest; one geometry family, promoted to Multi*."""
    geoms = gdf.geometry.array
    repaired, rejected = [], []
    out = []
    types = set()
    for i, g in enumerate(geoms):
        row = i + 1
        if g is None or g.is_empty:
            rejected.append((row, "empty or missing geometry"))
            out.append(None)
            continue
        if not g.is_valid:
            fixed = geometry.repair(g)
            if fixed is None:
                rejected.append((row, f"invalid {g.geom_type} that cannot be repaired ({shapely.is_valid_reason(g)})"))
                out.append(None)
                continue
            g = fixed
            repaired.append(row)
        types.add(FAMILIES.get(g.geom_type, g.geom_type))
        out.append(g)
    for row in gdf.attrs.get("bad_coordinates", []):
        rejected = [r for r in rejected if r[0] != row - 1]
        rejected.append((row, "longitude/latitude are not numbers"))
    families = types - {None}
    if len(families) > 1 or any(t not in FAMILIES.values() for t in families):
        raise ImportError_(f"mixed or unsupported geometry types: {', '.join(sorted(families))}; "
                           "a layer holds one kind (points, lines or polygons)")
    if rejected and not skip_invalid:
        listing = "; ".join(f"row {r}: {why}" for r, why in rejected[:20])
        more = f" (and {len(rejected) - 20} more)" if len(rejected) > 20 else ""
        raise ImportError_(f"{len(rejected)} rows have unusable geometry: {listing}{more}. "
                           "Fix them, or pass --skip-invalid to import the rest.")
    gdf = gdf.set_geometry(gpd.GeoSeries(out, index=gdf.index, crs=gdf.crs))
    gdf = gdf[~gdf.geometry.isna()]
    if gdf.empty:
        raise ImportError_("no features with a usable geometry")
    multi = families.pop() if families else "MultiPoint"
    return gdf, multi, repaired, rejected


def _field_type(series: pd.Series) -> tuple[str, str]:
    """(our type, SQL type) of a column."""
    if pd.api.types.is_bool_dtype(series):
        return "boolean", "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer", "bigint"
    if pd.api.types.is_float_dtype(series):
        return "number", "double precision"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "datetime", "timestamptz"
    vals = series.dropna()
    if len(vals) and all(isinstance(v, str) and ISO_DATE.fullmatch(v) for v in vals):
        return "date", "date"
    if len(vals) and all(isinstance(v, date) and not isinstance(v, datetime) for v in vals):
        return "date", "date"
    if len(vals) and all(isinstance(v, datetime) for v in vals):
        return "datetime", "timestamptz"
    return "string", "text"


def _value(v, typ: str):
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if typ == "integer":
        return int(v)
    if typ == "number":
        return float(v)
    if typ == "boolean":
        return bool(v)
    if typ == "datetime":
        ts = pd.Timestamp(v)
        return (ts.tz_localize("UTC") if ts.tzinfo is None else ts).to_pydatetime()
    if typ == "date":
        return date.fromisoformat(v) if isinstance(v, str) else v
    return str(v)


def _check_options(*, layer_id: str, domain: str, access: str, replace: bool) -> ImportedLayer | None:
    """The existing imported layer to replace (if any); ImportError_ for bad options."""
    if layer_id != slugify(layer_id) or not layer_id or len(layer_id) > 60:
        raise ImportError_(f"layer id {layer_id!r} must be a slug: lower-case letters, digits and '-'")
    if domain not in domains():
        raise ImportError_(f"unknown domain {domain!r}; one of: {', '.join(domains())}")
    if access not in registry.ACCESS_LEVELS:
        raise ImportError_(f"access must be one of {', '.join(registry.ACCESS_LEVELS)}")
    if any(s.id == layer_id for s in registry.static_layers()):
        raise ImportError_(f"layer id {layer_id!r} belongs to a built-in layer; choose another")
    existing = ImportedLayer.objects.filter(slug=layer_id).first()
    if existing and not replace:
        raise ImportError_(f"layer {layer_id!r} already exists; pass --replace to overwrite it")
    return existing


def _to_wgs84(gdf: gpd.GeoDataFrame, source_crs: str) -> gpd.GeoDataFrame:
    try:
        gdf = gdf.to_crs(4326)
    except Exception as exc:
        raise ImportError_(f"cannot reproject from {source_crs} to EPSG:4326: {exc}") from None
    b = gdf.total_bounds
    if not (-180 <= b[0] <= 180 and -90 <= b[1] <= 90 and -180 <= b[2] <= 180 and -90 <= b[3] <= 90):
        raise ImportError_(f"coordinates fall outside the globe after reprojection from {source_crs}; "
                           "is the declared CRS right?")
    return gdf


def _columns(gdf: gpd.GeoDataFrame, time_field: str | None) -> tuple[list[tuple], list[dict], str]:
    """(source, column, type, SQL type) per attribute, the published fields, and the time field."""
    taken: set[str] = set()
    columns = []
    for col in gdf.columns:
        if col == gdf.geometry.name:
            continue
        typ, sqltype = _field_type(gdf[col])
        columns.append((col, _column_name(col, taken), typ, sqltype))
    fields = [{"name": name, "type": typ, "title": str(src)} for src, name, typ, _ in columns]
    if time_field:
        if not any(f["name"] == time_field and f["type"] in ("date", "datetime") for f in fields):
            raise ImportError_(f"--time-field {time_field!r} is not a date or date-time column "
                               f"(columns: {', '.join(f['name'] for f in fields)})")
    else:
        dated = [f["name"] for f in fields if f["type"] in ("date", "datetime")]
        time_field = dated[0] if len(dated) == 1 else ""
    return columns, fields, time_field


def _table_geometries(gdf: gpd.GeoDataFrame, multi_type: str) -> tuple[str, list[str]]:
    """The table's geometry type and each row's hex WKB: all single parts stay single,
    a mix of single and multi is promoted to Multi*."""
    geoms = gdf.geometry.array
    kinds = set(shapely.get_type_id(geoms).tolist())
    if len(kinds) == 1 and kinds.pop() in (0, 1, 3):  # all Point / LineString / Polygon
        return {"MultiPoint": "Point", "MultiLineString": "LineString", "MultiPolygon": "Polygon"}[multi_type], \
            shapely.to_wkb(geoms, hex=True)
    return multi_type, shapely.to_wkb([geometry.to_multi(g) for g in geoms], hex=True)


def _write_table(*, table: str, gdf: gpd.GeoDataFrame, columns: list[tuple], geom_type: str, hexes,
                 existing: ImportedLayer | None) -> None:
    """The layer's own table in schema `imported`, with the commune trigger and a GiST index."""
    coldefs = ", ".join(f'"{name}" {sqltype}' for _, name, _, sqltype in columns)
    with connection.cursor() as cur:
        cur.execute("CREATE SCHEMA IF NOT EXISTS imported")
        if existing:
            cur.execute(f'DROP TABLE IF EXISTS imported."{existing.table_name}"')
            existing.delete()
        cur.execute(f'CREATE TABLE imported."{table}" (id bigserial PRIMARY KEY'
                    f'{", " + coldefs if coldefs else ""}, commune_id bigint, '
                    f"geom geometry({geom_type}, 4326) NOT NULL)")
        cur.execute(f'CREATE TRIGGER "{table}_commune" BEFORE INSERT OR UPDATE OF geom ON imported."{table}" '
                    f"FOR EACH ROW EXECUTE FUNCTION ioc_assign_commune()")
        names = [f'"{name}"' for _, name, _, _ in columns] + ["geom"]
        with cur.connection.cursor() as pcur:
            with pcur.copy(f'COPY imported."{table}" ({", ".join(names)}) FROM STDIN') as copy:
                records = gdf.drop(columns=gdf.geometry.name).to_dict("records") if columns else [{}] * len(gdf)
                for rec, hx in zip(records, hexes, strict=True):
                    copy.write_row([_value(rec[src], typ) for src, _, typ, _ in columns] + [f"SRID=4326;{hx}"])
        cur.execute(f'CREATE INDEX "{table}_geom_idx" ON imported."{table}" USING gist (geom)')
        cur.execute(f'ANALYZE imported."{table}"')


def import_layer_file(*, path: Path, layer_id: str, title: str | None = None, title_en: str | None = None,
                      domain: str = "other", access: str = "internal", crs: str | None = None,
                      lon_field: str | None = None, lat_field: str | None = None,
                      source_layer: str | None = None, time_field: str | None = None,
                      skip_invalid: bool = False, replace: bool = False) -> ImportReport:
    """Read, validate, reproject to EPSG:4326 and store a new layer, all in one transaction."""
    existing = _check_options(layer_id=layer_id, domain=domain, access=access, replace=replace)
    gdf = read_vector(Path(path), crs=crs, lon=lon_field, lat=lat_field, source_layer=source_layer)
    source_crs = gdf.crs.to_string()
    gdf, multi_type, repaired, rejected = clean_geometries(gdf, skip_invalid=skip_invalid)
    gdf = _to_wgs84(gdf, source_crs)
    columns, fields, time_field = _columns(gdf, time_field)
    geom_type, hexes = _table_geometries(gdf, multi_type)
    table = "l_" + layer_id.replace("-", "_")
    with transaction.atomic():
        _write_table(table=table, gdf=gdf, columns=columns, geom_type=geom_type, hexes=hexes, existing=existing)
        ImportedLayer.objects.create(
            slug=layer_id, title_vi=title or layer_id, title_en=title_en or title or layer_id,
            domain=domain, access=access, table_name=table, geometry_type=geom_type, fields=fields,
            time_field=time_field, source=Path(path).name, feature_count=len(gdf),
        )
    registry.invalidate()
    return ImportReport(layer=layer_id, table=f"imported.{table}", features=len(gdf), geometry_type=geom_type,
                        source_crs=source_crs, repaired=repaired, rejected=rejected, fields=fields)


def delete_imported_layer(layer_id: str) -> None:
    rec = ImportedLayer.objects.filter(slug=layer_id).first()
    if rec is None:
        raise ImportError_(f"no imported layer {layer_id!r}")
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute(f'DROP TABLE IF EXISTS imported."{rec.table_name}"')
        rec.delete()
    registry.invalidate()
