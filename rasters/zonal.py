"""Zonal statistics per administrative unit (or a polygon): one pass over the raster with a
rasterised label array and numpy bincounts, so ~110 communes take well under a second."""

from __future__ import annotations

import json

import numpy as np
import rasterio
import shapely
from django.db import connection, transaction
from rasterio.features import rasterize
from rasterio.warp import transform_geom

from rasters.models import RasterDataset, ZonalResult
from rasters.services import full_path


def _zones(level: str | None, polygon: dict | None) -> list[tuple[int, str, str, dict]]:
    if polygon is not None:
        g = shapely.geometry.shape(polygon)
        if g.is_empty or g.geom_type not in ("Polygon", "MultiPolygon"):
            raise ValueError("the area must be a GeoJSON Polygon or MultiPolygon")
        return [(1, "", "area", shapely.geometry.mapping(shapely.make_valid(g)))]
    if level not in ("district", "commune", "province"):
        raise ValueError("level must be province, district or commune")
    with connection.cursor() as cur:
        cur.execute("SELECT id, code, name, ST_AsGeoJSON(geom) FROM layers_adminunit WHERE level = %s ORDER BY code",
                    [level])
        return [(i, c, n, json.loads(g)) for i, c, n, g in cur.fetchall()]


def zonal_statistics(rec: RasterDataset, *, level: str | None = "commune", polygon: dict | None = None) -> list[dict]:
    zones = _zones(level, polygon)
    with rasterio.open(full_path(rec)) as src:
        data = src.read(1, masked=True)
        shapes = [(transform_geom("EPSG:4326", src.crs, g), k + 1) for k, (_i, _c, _n, g) in enumerate(zones)]
        labels = rasterize(shapes, out_shape=data.shape, transform=src.transform, fill=0, dtype="int32",
                           all_touched=False)
        px_area_km2 = abs(src.transform.a * src.transform.e) / 1e6 if src.crs.is_projected else None
    valid = ~np.ma.getmaskarray(data) & (labels > 0)
    lab = labels[valid]
    vals = np.asarray(data)[valid].astype("float64")
    n = len(zones) + 1
    count = np.bincount(lab, minlength=n)
    out = []
    if rec.kind == "categorical":
        classes = [int(c["value"]) for c in rec.classes]
        idx = {v: k for k, v in enumerate(classes)}
        cls = np.array([idx.get(int(v), -1) for v in range(int(vals.max()) + 1)])[vals.astype(int)] if vals.size else vals
        keep = cls >= 0
        table = np.bincount(lab[keep] * len(classes) + cls[keep].astype(int), minlength=n * len(classes)).reshape(n, len(classes))
        for k, (uid, code, name, _g) in enumerate(zones, start=1):
            row = {"unit_id": uid, "code": code, "name": name, "pixels": int(count[k])}
            row["area_km2"] = {str(c): round(float(table[k, j]) * px_area_km2, 4) if px_area_km2 else None
                               for j, c in enumerate(classes)}
            row["share_pct"] = {str(c): round(100.0 * table[k, j] / count[k], 2) if count[k] else None
                                for j, c in enumerate(classes)}
            out.append(row)
        return out
    total = np.bincount(lab, weights=vals, minlength=n)
    mins = np.full(n, np.inf)
    maxs = np.full(n, -np.inf)
    np.minimum.at(mins, lab, vals)
    np.maximum.at(maxs, lab, vals)
    for k, (uid, code, name, _g) in enumerate(zones, start=1):
        c = int(count[k])
        out.append({"unit_id": uid, "code": code, "name": name, "pixels": c,
                    "mean": float(total[k] / c) if c else None, "min": float(mins[k]) if c else None,
                    "max": float(maxs[k]) if c else None, "sum": float(total[k]) if c else None})
    return out


def refresh_zonal_layers() -> int:
    """Recompute the kept zonal statistics behind the choropleth layers."""
    n = 0
    with transaction.atomic():
        ZonalResult.objects.all().delete()
        for slug, level in (("population", "commune"), ("land-cover", "district")):
            rec = RasterDataset.objects.filter(slug=slug).first()
            if rec is None:
                continue
            for row in zonal_statistics(rec, level=level):
                shares = row.get("share_pct") or {}
                dominant = max(shares, key=lambda k: shares[k] or 0) if shares else None
                ZonalResult.objects.create(raster=rec, unit_id=row["unit_id"], mean=row.get("mean"),
                                           total=row.get("sum"), shares=shares,
                                           dominant=int(dominant) if dominant else None)
                n += 1
    return n
