"""Demo rasters for Bình Phước, generated deterministically at set-up (never committed):
population (persons per 100 m pixel), land cover (8 classes, consistent with the parcels),
flood hazard and a vegetation index; a few MB each as COGs."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import rasterio
import shapely
from django.db import connection
from pyproj import Transformer
from rasterio.features import rasterize
from rasterio.transform import from_origin

from demo import places as P
from demo.common import SEED
from rasters.services import import_raster

RES = 100.0
NODATA = -9999.0
LAND_COVER = [  # value, vi, en, colour
    (1, "Mặt nước", "Water", "#3182ce"), (2, "Đất đô thị, xây dựng", "Built-up", "#e53e3e"),
    (3, "Lúa, cây hằng năm", "Rice and annual crops", "#f6e05e"), (4, "Cây lâu năm (cao su, điều)", "Perennial crops", "#68d391"),
    (5, "Rừng sản xuất", "Production forest", "#2f855a"), (6, "Rừng phòng hộ, đặc dụng", "Protection forest", "#1c4532"),
    (7, "Cỏ, cây bụi", "Grass and shrub", "#c6f6d5"), (8, "Khu công nghiệp, đất trống", "Industrial, bare", "#a0aec0"),
]
USE_TO_CLASS = {"NTS": 1, "ODT": 2, "ONT": 2, "TMD": 2, "DGT": 2, "LUC": 3, "HNK": 3, "CLN": 4, "RSX": 5,
                "RPH": 6, "RDD": 6, "SKC": 8, "SKK": 8}
RIVERS = [[(106.95, 12.20), (106.99, 11.86), (106.98, 11.60), (106.97, 11.30)],  # Sông Bé (sketch)
          [(106.42, 11.70), (106.50, 11.50), (106.60, 11.33)]]  # Sông Sài Gòn (sketch)


def _grid():
    to_utm = Transformer.from_crs(4326, 32648, always_xy=True)
    prov = shapely.transform(shapely.Polygon(P.PROVINCE_OUTLINE),
                             lambda xy: np.column_stack(to_utm.transform(xy[:, 0], xy[:, 1])))
    minx, miny, maxx, maxy = prov.bounds
    minx, maxy = np.floor(minx / RES) * RES - RES, np.ceil(maxy / RES) * RES + RES
    w, h = int(np.ceil((maxx - minx) / RES)) + 2, int(np.ceil((maxy - miny) / RES)) + 2
    transform = from_origin(minx, maxy, RES, RES)
    inside = rasterize([(prov, 1)], out_shape=(h, w), transform=transform, fill=0, dtype="uint8").astype(bool)
    xs = minx + (np.arange(w) + 0.5) * RES
    ys = maxy - (np.arange(h) + 0.5) * RES
    return transform, inside, np.meshgrid(xs, ys), to_utm


def _write(path: Path, arr: np.ndarray, transform, nodata, dtype):
    with rasterio.open(path, "w", driver="GTiff", width=arr.shape[1], height=arr.shape[0], count=1, dtype=dtype,
                       crs="EPSG:32648", transform=transform, nodata=nodata, compress="deflate") as dst:
        dst.write(arr.astype(dtype), 1)


def _river_distance(X, Y, rivers) -> np.ndarray:
    """Distance to the rivers on a 500 m grid, repeated back to 100 m: smooth enough for a hazard."""
    step = 5
    pts = shapely.points(X[::step, ::step].ravel(), Y[::step, ::step].ravel())
    coarse = np.min([shapely.distance(pts, r) for r in rivers], axis=0).reshape(X[::step, ::step].shape)
    return np.repeat(np.repeat(coarse, step, axis=0), step, axis=1)[: X.shape[0], : X.shape[1]]


def _land_cover(rng, X, Y, inside, transform, *, dist_seat, d_river, river_mask) -> np.ndarray:
    """A base by place, then the parcels' land use burnt in (consistent with them)."""
    cover = np.where(dist_seat < 2500, 2, 4).astype("uint8")
    north_east = (X > np.percentile(X[inside], 55)) & (Y > np.percentile(Y[inside], 60))
    cover[north_east & (rng.random(X.shape) < 0.85)] = 5
    cover[north_east & (Y > np.percentile(Y[inside], 85))] = 6
    cover[(d_river < 1500) & (cover == 4)] = 3
    cover[river_mask] = 1
    cover[(rng.random(X.shape) < 0.03) & (cover == 4)] = 7
    with connection.cursor() as cur:
        cur.execute("SELECT land_use, ST_AsBinary(ST_Transform(geom, 32648)) FROM layers_landparcel")
        shapes = [(shapely.from_wkb(bytes(g)), USE_TO_CLASS.get(u, 7)) for u, g in cur.fetchall()]
    if shapes:
        burnt = rasterize(shapes, out_shape=X.shape, transform=transform, fill=0, dtype="uint8")
        cover = np.where(burnt > 0, burnt, cover)
    cover[~inside] = 0
    return cover


def _population(rng, X, inside, *, dist_seat, cover) -> np.ndarray:
    """Persons per pixel, denser near towns and in built-up land, adding up to the communes' total."""
    pop = 0.4 + 40.0 * np.exp(-dist_seat / 1500.0) + rng.gamma(1.0, 0.5, X.shape)
    pop *= np.where(cover == 2, 3.0, np.where(np.isin(cover, (5, 6)), 0.15, 1.0))
    with connection.cursor() as cur:
        cur.execute("SELECT coalesce(sum(population), 1200000) FROM layers_adminunit WHERE level = 'commune'")
        total = float(cur.fetchone()[0])
    pop = pop * total / pop[inside].sum()
    return np.where(inside, np.round(pop, 2), NODATA)


def build_demo_rasters(seed: int = SEED) -> list[str]:
    """Population, land cover, flood hazard and NDVI over the province, imported as COGs."""
    rng = np.random.default_rng(seed)
    transform, inside, (X, Y), to_utm = _grid()
    seats = np.array([to_utm.transform(*d[4]) for d in P.DISTRICTS])
    dist_seat = np.min(np.stack([np.hypot(X - sx, Y - sy) for sx, sy in seats]), axis=0)
    rivers = [shapely.LineString([to_utm.transform(x, y) for x, y in r]) for r in RIVERS]
    river_mask = rasterize([(r.buffer(300), 1) for r in rivers], out_shape=X.shape, transform=transform, fill=0,
                           dtype="uint8").astype(bool)
    d_river = _river_distance(X, Y, rivers)
    cover = _land_cover(rng, X, Y, inside, transform, dist_seat=dist_seat, d_river=d_river, river_mask=river_mask)
    pop = _population(rng, X, inside, dist_seat=dist_seat, cover=cover)
    lat = Y / 110_600.0
    flood = np.clip(np.exp(-d_river / 2500.0) * (1.0 - (lat - lat[inside].min()) / np.ptp(lat[inside]) * 0.5)
                    + rng.normal(0, 0.03, X.shape), 0, 1)
    flood = np.where(inside, np.round(flood, 3), NODATA)
    ndvi_by_class = np.array([0, -0.05, 0.15, 0.45, 0.7, 0.78, 0.85, 0.35, 0.1])
    ndvi = np.clip(ndvi_by_class[cover] + rng.normal(0, 0.05, X.shape), -0.2, 0.95)
    ndvi = np.where(inside, np.round(ndvi, 3), NODATA)
    return _import_all(transform, pop=pop, cover=cover, flood=flood, ndvi=ndvi)


def _import_all(transform, *, pop, cover, flood, ndvi) -> list[str]:
    made = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        specs = [
            ("population", pop, "float32", NODATA, dict(title_vi="Mật độ dân số (người/ô 100 m)", title_en="Population (persons per 100 m pixel)",
                                                       domain="socioeconomic", kind="continuous", value_unit="người/ô 100 m",
                                                       colormap="magma", value_range=[0, 60])),
            ("land-cover", cover, "uint8", 0, dict(title_vi="Lớp phủ mặt đất", title_en="Land cover", domain="land",
                                                   kind="categorical", value_unit="",
                                                   classes=[{"value": v, "name_vi": vi, "name_en": en, "color": c}
                                                            for v, vi, en, c in LAND_COVER])),
            ("flood-hazard", flood, "float32", NODATA, dict(title_vi="Nguy cơ ngập lụt", title_en="Flood hazard",
                                                           domain="land", kind="continuous", value_unit="chỉ số 0-1",
                                                           colormap="blues", value_range=[0, 1])),
            ("ndvi", ndvi, "float32", NODATA, dict(title_vi="Chỉ số thực vật NDVI", title_en="Vegetation index (NDVI)",
                                                  domain="land", kind="continuous", value_unit="NDVI",
                                                  colormap="rdylgn", value_range=[-0.1, 0.9])),
        ]
        for slug, arr, dtype, nod, meta in specs:
            p = tmp / f"{slug}.tif"
            _write(p, arr, transform, nod, dtype)
            import_raster(path=p, slug=slug, replace=True, **meta)
            made.append(slug)
    return made
