"""The layers' access rule applied to rasters (the catalogue is re-read at most every 2 s)."""

import threading
import time

from layers.access import can_read
from rasters.models import RasterDataset

_lock = threading.Lock()
_cache: dict = {"at": 0.0, "rasters": ()}
TTL_SECONDS = 2.0


class _AsSpec:
    def __init__(self, rec: RasterDataset):
        self.access, self.roles = rec.access, ()


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
    return [r for r in all_rasters() if can_read(user, _AsSpec(r))]


def readable_raster(user, slug: str) -> RasterDataset | None:
    rec = next((r for r in all_rasters() if r.slug == slug), None)
    return rec if rec is not None and can_read(user, _AsSpec(rec)) else None
