"""Export a layer (with the portal's filters) to GeoPackage, zipped Shapefile, GeoJSON, CSV or
XLSX with geopandas/pyogrio. The same access rule as every other path."""

from __future__ import annotations

import tempfile
import threading
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from django.conf import settings
from django.db import close_old_connections, connection

from gis_server.errors import BadRequest
from layers.access import audience_for
from layers.models import ExportJob
from layers.query import Filters, LayerQuery
from layers.registry import LayerSpec

FORMATS = {
    "gpkg": ("GeoPackage", "application/geopackage+sqlite3"),
    "shp": ("zipped Shapefile", "application/zip"),
    "geojson": ("GeoJSON", "application/geo+json"),
    "csv": ("CSV", "text/csv"),
    "xlsx": ("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
BATCH = 20_000
SYNC_EXPORT_MAX = 20_000  # features; a larger export runs as a background job


class ExportError(BadRequest):
    pass


def filters_to_dict(f: Filters) -> dict:
    return {"bbox": list(f.bbox), "datetime": f.datetime, "q": f.q, "properties": [list(p) for p in f.properties]}


def count_matching(spec: LayerSpec, filters: Filters, audience: frozenset[str] | None = None) -> int:
    return LayerQuery(spec, primary=True, audience=audience).count_exact(filters)


def export_layer(*, spec: LayerSpec, fmt: str, filters: Filters, out_dir: Path, progress=None,
                 audience: frozenset[str] | None = None) -> Path:
    """Write the file and return its path; `progress(done, total)` is called per batch."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    sql, params = LayerQuery(spec, primary=True, audience=audience).rows_sql(filters)
    total = count_matching(spec, filters, audience)
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


def export_start(*, spec: LayerSpec, fmt: str, filters: Filters, user) -> tuple[Path | None, bytes | None, ExportJob | None]:
    """A small export is written at once and returned as (name, bytes, None); a large one
    becomes a background job, returned as (None, None, job)."""
    if fmt not in FORMATS:
        raise ExportError(f"format must be one of {', '.join(FORMATS)}")
    audience = audience_for(user, spec)
    total = count_matching(spec, filters, audience)
    if total <= SYNC_EXPORT_MAX:  # small: written in a temporary folder, sent, and gone
        with tempfile.TemporaryDirectory() as tmp:
            path = export_layer(spec=spec, fmt=fmt, filters=filters, out_dir=Path(tmp), audience=audience)
            return Path(path.name), path.read_bytes(), None
    job = ExportJob.objects.create(user=user if user is not None and user.is_authenticated else None,
                                   layer=spec.id, format=fmt, filters=filters_to_dict(filters), total=total)
    threading.Thread(target=_run_job, args=(job.pk, spec, fmt, filters, audience), daemon=True).start()
    return None, None, job


def _run_job(job_id, spec: LayerSpec, fmt: str, filters: Filters, audience: frozenset[str] | None) -> None:
    try:
        out = Path(settings.MEDIA_ROOT) / "exports" / str(job_id)
        path = export_layer(spec=spec, fmt=fmt, filters=filters, out_dir=out, audience=audience,
                            progress=lambda d, t: ExportJob.objects.filter(pk=job_id).update(done=d, total=t))
        ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.DONE, path=str(path))
    except Exception as exc:  # the job records any failure for the user
        ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.FAILED, error=str(exc)[:2000])
    finally:
        close_old_connections()
        connection.close()


def export_job_for(*, job_id, user) -> ExportJob | None:
    """The job if this user started it (anonymous jobs: anyone with the id)."""
    job = ExportJob.objects.filter(pk=job_id).first()
    owner = job is not None and (job.user_id is None or job.user_id == getattr(user, "pk", None))
    return job if owner else None
