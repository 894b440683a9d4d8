"""Export a layer (with the portal's filters) to GeoPackage, zipped Shapefile, GeoJSON, CSV or
XLSX with geopandas/pyogrio. The same access rule as every other path."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from django.db import connection

from layers.registry import LayerSpec

FORMATS = {
    "gpkg": ("GeoPackage", "application/geopackage+sqlite3"),
    "shp": ("zipped Shapefile", "application/zip"),
    "geojson": ("GeoJSON", "application/geo+json"),
    "csv": ("CSV", "text/csv"),
    "xlsx": ("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
BATCH = 20_000


class ExportError(ValueError):
    pass


def _query(spec: LayerSpec, filters: dict) -> tuple[str, list]:
    from ogc.config import provider_def
    from ogc.provider import PostGISLayerProvider  # the same filters as /ogc items

    p = PostGISLayerProvider(provider_def(spec))
    props = [(k, v) for k, v in filters.get("properties", [])]
    where, params = p._where(filters.get("bbox") or [], filters.get("datetime"), props, filters.get("q"), None)
    cols = ", ".join(f'{f.sql} AS "{f.name}"' for f in spec.fields)
    sql = (f'SELECT t."{spec.id_field}" AS id, {cols}, ST_AsBinary(t."{spec.geometry_field}") AS geom '
           f"{p._from()}{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY t.\"{spec.id_field}\"")
    return sql, params


def count_matching(spec: LayerSpec, filters: dict) -> int:
    sql, params = _query(spec, filters)
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM ({sql}) s", params)
        return cur.fetchone()[0]


def export_layer(*, spec: LayerSpec, fmt: str, filters: dict, out_dir: Path, progress=None) -> Path:
    """Write the file and return its path; `progress(done, total)` is called per batch."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    sql, params = _query(spec, filters)
    total = count_matching(spec, filters)
    frames = []
    with connection.cursor() as cur:
        cur.execute(sql, params)
        names = [d[0] for d in cur.description]
        done = 0
        while rows := cur.fetchmany(BATCH):
            df = pd.DataFrame(rows, columns=names)
            df["geom"] = shapely.from_wkb([bytes(g) if g is not None else None for g in df["geom"]])
            frames.append(df)
            done += len(rows)
            if progress:
                progress(done, total)
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=names)
    gdf = gpd.GeoDataFrame(df, geometry="geom", crs=4326)
    for f in spec.fields:  # timezone-aware datetimes: GPKG/SHP/XLSX want plain values
        if f.format == "date-time" and f.name in gdf:
            gdf[f.name] = pd.to_datetime(gdf[f.name], utc=True).dt.tz_convert("Asia/Ho_Chi_Minh").dt.tz_localize(None)
    out_dir.mkdir(parents=True, exist_ok=True)
    base = out_dir / spec.id
    if fmt == "gpkg":
        path = base.with_suffix(".gpkg")
        gdf.to_file(path, driver="GPKG", layer=spec.id, engine="pyogrio")
    elif fmt == "geojson":
        path = base.with_suffix(".geojson")
        gdf.to_file(path, driver="GeoJSON", engine="pyogrio")
    elif fmt == "shp":
        path = base.with_suffix(".zip")
        with tempfile.TemporaryDirectory() as tmp:
            gdf.to_file(Path(tmp) / f"{spec.id}.shp", driver="ESRI Shapefile", engine="pyogrio",
                        layer_options={"ENCODING": "UTF-8"})
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
                for part in sorted(Path(tmp).iterdir()):
                    z.write(part, part.name)
    else:
        table = pd.DataFrame(gdf.drop(columns="geom"))
        if spec.geometry_type == "Point":
            table["lon"], table["lat"] = gdf.geometry.x.round(7), gdf.geometry.y.round(7)
        else:
            table["wkt"] = gdf.geometry.to_wkt(rounding_precision=7)
        if fmt == "csv":
            path = base.with_suffix(".csv")
            table.to_csv(path, index=False, encoding="utf-8-sig")
        else:
            path = base.with_suffix(".xlsx")
            table.to_excel(path, index=False, sheet_name=spec.id[:31])
    return path
