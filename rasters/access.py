"""The layers' access rule applied to rasters (the catalogue is re-read at most every 2 s)."""

import threading
import time

from layers.access import can_read_level
from rasters.models import RasterDataset

_lock = threading.Lock()
_cache: dict = {"at": 0.0, "rasters": ()}
TTL_SECONDS = 2.0


def all_rasters() -> tuple[RasterDataset, ...]:
    now = time.monotonic()
    with _lock:
        if now - _cache["at"] > TTL_SECONDS:
            _cache["rasters"] = tuple(RasterDataset.objects.all())
            _cache["at"] = now
        return _cache["rasters"]


def invalidate() -> None:
    with _lock:
        _cache["at"] = 0.0


def readable_rasters(user) -> list[RasterDataset]:
    return [r for r in all_rasters() if can_read_level(user, r.access)]


def readable_raster(user, slug: str) -> RasterDataset | None:
    rec = next((r for r in all_rasters() if r.slug == slug), None)
    return rec if rec is not None and can_read_level(user, rec.access) else None


def raster_catalogue(*, user) -> list[dict]:
    """What the portal lists for this user: id, titles, kind and unit of each readable raster."""
    return [{"id": r.slug, "title": {"vi": r.title_vi, "en": r.title_en}, "kind": r.kind, "unit": r.value_unit}
            for r in readable_rasters(user)]
