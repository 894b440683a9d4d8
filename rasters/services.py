"""Raster ingest: any GDAL-readable raster in any CRS becomes a validated Cloud-Optimized GeoTIFF
with internal overviews under MEDIA_ROOT/rasters, with its catalogue entry; all or nothing."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import rasterio
from django.conf import settings
from django.contrib.gis.geos import Polygon
from django.db import transaction
from django.utils.text import slugify
from rasterio.errors import CRSError, RasterioIOError
from rasterio.vrt import WarpedVRT
from rasterio.warp import transform, transform_bounds
from rio_cogeo.cogeo import cog_translate, cog_validate
from rio_cogeo.profiles import cog_profiles

from gis_server.errors import BadRequest
from layers import geometry
from layers.domains import domains
from rasters.access import invalidate as invalidate_catalogue
from rasters.models import RasterDataset


class RasterError(BadRequest):
    """A problem with the user's raster or options, worded for the user."""


# Self-contained formats only, chosen by driver when the file is opened: a VRT (or any format
# that names other files or URLs) could read files outside the media folder or make the server
# fetch internal addresses. Side files are not read either (an external .ovr may itself be a
# VRT): GDAL_DISABLE_READDIR_ON_OPEN, so the georeferencing must be inside the file.
ACCEPTED_DRIVERS = ("GTiff", "JP2OpenJPEG")
ACCEPTED_FORMATS = "GeoTIFF/COG or JPEG 2000, georeferenced inside the file"
GDAL_NO_SIDE_FILES = {"GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR"}
ACCESS_LEVELS = ("public", "internal", "restricted")


def raster_dir() -> Path:
    d = Path(settings.MEDIA_ROOT) / "rasters"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _stats(src) -> list[dict]:
    out = []
    for b in range(1, src.count + 1):
        arr = src.read(b, masked=True, out_shape=(min(src.height, 1024), min(src.width, 1024)))
        vals = arr.compressed().astype("float64")
        out.append({"band": b, "min": float(vals.min()) if vals.size else None,
                    "max": float(vals.max()) if vals.size else None,
                    "mean": float(vals.mean()) if vals.size else None,
                    "std": float(vals.std()) if vals.size else None})
    return out


def _check_options(*, slug: str, domain: str, kind: str, classes, access: str,
                   replace: bool) -> RasterDataset | None:
    """The existing raster to replace (if any); RasterError for bad options."""
    if slug != slugify(slug) or not slug:
        raise RasterError(f"raster id {slug!r} must be a slug (lower-case letters, digits, '-')")
    if domain not in domains():
        raise RasterError(f"unknown domain {domain!r}")
    if kind not in ("continuous", "categorical"):
        raise RasterError("kind must be continuous or categorical")
    if kind == "categorical" and not classes:
        raise RasterError("a categorical raster needs its class table")
    if access not in ACCESS_LEVELS:
        raise RasterError(f"access must be one of {', '.join(ACCESS_LEVELS)}, not {access!r}")
    existing = RasterDataset.objects.filter(slug=slug).first()
    if existing and not replace:
        raise RasterError(f"raster {slug!r} already exists; pass --replace to overwrite it")
    return existing


def _open_self_contained(path: Path):
    """The raster opened by one of the accepted drivers only (GDAL never tries the others)."""
    for driver in ACCEPTED_DRIVERS:
        try:
            return rasterio.open(path, driver=driver)
        except RasterioIOError:
            continue
    raise RasterError(f"{path.name} is not a raster in an accepted format ({ACCEPTED_FORMATS}); "
                      "formats that refer to other files or URLs, such as VRT, are refused")


def _source_crs(src, path: Path, crs: str | None):
    if src.count < 1 or src.width < 1 or src.height < 1:
        raise RasterError(f"{path.name} has no pixels")
    if src.transform.is_identity:
        raise RasterError(f"{path.name} has no georeferencing")
    if src.crs is not None:
        return src.crs
    if not crs:
        raise RasterError(f"{path.name} declares no CRS; give one with --crs (e.g. EPSG:9212 for VN-2000)")
    code = geometry.epsg_code(crs)
    try:
        return rasterio.crs.CRS.from_epsg(code) if code else rasterio.crs.CRS.from_user_input(crs)
    except CRSError:
        raise RasterError(f"unknown CRS {crs!r}: give an EPSG code such as {geometry.CRS_HELP}") from None


def _to_cog(src, src_crs, tmp: str, *, nodata, kind: str) -> tuple[list[dict], dict]:
    """Write src as a validated COG at tmp; (per-band statistics, size and type)."""
    profile = cog_profiles.get("deflate")
    profile.update(blockxsize=256, blockysize=256)
    source = src if src.crs is not None else WarpedVRT(src, src_crs=src_crs, crs=src_crs, src_transform=src.transform)
    cog_translate(source, tmp, profile, nodata=nodata,
                  overview_resampling="nearest" if kind == "categorical" else "average", quiet=True,
                  in_memory=False, config={"GDAL_NUM_THREADS": "2"}, add_mask=False, forward_band_tags=True)
    valid, errors, _warnings = cog_validate(tmp, quiet=True)
    if not valid:
        raise RasterError(f"the converted file is not a valid COG: {'; '.join(errors)}")
    with rasterio.open(tmp) as cog:
        return _stats(cog), dict(width=cog.width, height=cog.height, bands=cog.count, dtype=cog.dtypes[0],
                                 resolution=float(abs(cog.transform.a)))


def import_raster(*, path: Path, slug: str, title_vi: str | None = None, title_en: str | None = None,
                  domain: str = "other", access: str = "public", kind: str = "continuous",
                  value_unit: str = "", colormap: str = "viridis", value_range: list | None = None,
                  classes: list[dict] | None = None, crs: str | None = None, nodata: float | None = None,
                  valid_from=None, valid_to=None, replace: bool = False) -> RasterDataset:
    """Store any GDAL-readable raster as a COG with its catalogue entry; all or nothing."""
    existing = _check_options(slug=slug, domain=domain, kind=kind, classes=classes, access=access, replace=replace)
    path = Path(path)
    if not path.is_file():
        raise RasterError(f"no such file: {path}")
    with rasterio.Env(**GDAL_NO_SIDE_FILES):
        return _import_cog(path=path, slug=slug, title_vi=title_vi, title_en=title_en, domain=domain, access=access,
                           kind=kind, value_unit=value_unit, colormap=colormap, value_range=value_range,
                           classes=classes, crs=crs, nodata=nodata, valid_from=valid_from, valid_to=valid_to,
                           existing=existing)


def _import_cog(*, path: Path, slug, title_vi, title_en, domain, access, kind, value_unit, colormap, value_range,
                classes, crs, nodata, valid_from, valid_to, existing) -> RasterDataset:
    src = _open_self_contained(path)
    with src:
        src_crs = _source_crs(src, path, crs)
        bounds = transform_bounds(src_crs, "EPSG:4326", *src.bounds, densify_pts=21)
        nod = nodata if nodata is not None else src.nodata
        out = raster_dir() / f"{slug}.tif"
        fd, tmp = tempfile.mkstemp(suffix=".tif", dir=raster_dir())
        os.close(fd)
        try:
            stats, meta = _to_cog(src, src_crs, tmp, nodata=nod, kind=kind)
            if value_range is None and kind == "continuous" and stats[0]["min"] is not None:
                value_range = [stats[0]["min"], stats[0]["max"]]
            with transaction.atomic():
                if existing:
                    existing.delete()
                rec = RasterDataset.objects.create(
                    slug=slug, title_vi=title_vi or slug, title_en=title_en or title_vi or slug, domain=domain,
                    access=access, kind=kind, valid_from=valid_from, valid_to=valid_to, crs=src_crs.to_string(),
                    nodata=nod, value_unit=value_unit, statistics=stats, colormap=colormap,
                    value_range=value_range or [], classes=classes or [], path=f"rasters/{slug}.tif",
                    footprint=Polygon.from_bbox(bounds), **meta)
                os.replace(tmp, out)
                os.chmod(out, 0o644)
            invalidate_catalogue()
        except RasterError:
            raise
        except Exception as exc:
            raise RasterError(f"cannot convert {path.name} to a COG: {exc}") from None
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return rec


def full_path(rec: RasterDataset) -> Path:
    return Path(settings.MEDIA_ROOT) / rec.path


def sample_value(rec: RasterDataset, lon: float, lat: float) -> float | None:
    with rasterio.open(full_path(rec)) as src:
        xs, ys = transform("EPSG:4326", src.crs, [lon], [lat])
        row, col = src.index(xs[0], ys[0])
        if not (0 <= row < src.height and 0 <= col < src.width):
            return None
        v = src.read(1, window=((row, row + 1), (col, col + 1)))[0, 0]
    if rec.nodata is not None and (v == rec.nodata or (np.isnan(rec.nodata) and np.isnan(v))):
        return None
    return float(v)
