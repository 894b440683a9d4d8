"""Web Mercator PNG tiles of a raster with rio-tiler: the dataset's colour map (or a requested
one) and value rescaling for continuous rasters, its class colours for categorical ones,
nodata transparent."""

from __future__ import annotations

import functools
import io

from PIL import Image
from rio_tiler.colormap import cmap
from rio_tiler.errors import TileOutsideBounds
from rio_tiler.io import Reader

from rasters.models import RasterDataset
from rasters.services import full_path


class TileRequestError(ValueError):
    pass


@functools.lru_cache(maxsize=1)
def empty_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", (256, 256), (0, 0, 0, 0)).save(buf, "PNG")
    return buf.getvalue()


def _hex_rgba(h: str) -> tuple[int, int, int, int]:
    h = h.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), 255


def class_colormap(rec: RasterDataset) -> dict[int, tuple[int, int, int, int]]:
    return {int(c["value"]): _hex_rgba(c["color"]) for c in rec.classes}


def render_tile(rec: RasterDataset, z: int, x: int, y: int, *, colormap: str | None = None,
                rescale: tuple[float, float] | None = None) -> bytes:
    if not 0 <= z <= 22 or not (0 <= x < 2**z and 0 <= y < 2**z):
        raise TileRequestError(f"no tile {z}/{x}/{y}")
    if colormap and colormap not in cmap.list():
        raise TileRequestError(f"unknown colour map {colormap!r}")
    categorical = rec.kind == "categorical"
    try:
        with Reader(str(full_path(rec))) as src:
            img = src.tile(x, y, z, tilesize=256, resampling_method="nearest" if categorical else "bilinear")
    except TileOutsideBounds:
        return empty_png()
    if categorical:
        return img.render(img_format="PNG", colormap=class_colormap(rec))
    lo, hi = rescale or tuple(rec.value_range or (0, 1))
    img.rescale(in_range=((lo, hi),))
    return img.render(img_format="PNG", colormap=cmap.get(colormap or rec.colormap or "viridis"))


def legend(rec: RasterDataset, lang: str = "vi") -> dict:
    if rec.kind == "categorical":
        return {"kind": "categorical", "unit": rec.value_unit, "classes": [
            {"value": c["value"], "name": c["name_en" if lang == "en" else "name_vi"], "color": c["color"]}
            for c in rec.classes]}
    lo, hi = rec.value_range or (0, 1)
    cm = cmap.get(rec.colormap or "viridis")
    stops = []
    for i in range(6):
        r, g, b, _a = cm[int(round(i * 255 / 5))]
        stops.append({"value": lo + (hi - lo) * i / 5, "color": f"#{r:02x}{g:02x}{b:02x}"})
    return {"kind": "continuous", "unit": rec.value_unit, "min": lo, "max": hi, "stops": stops}


