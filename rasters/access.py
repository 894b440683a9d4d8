"""The layers' access rule applied to rasters."""

from layers.access import can_read
from rasters.models import RasterDataset


class _AsSpec:
    def __init__(self, rec: RasterDataset):
        self.access, self.roles = rec.access, ()


def readable_rasters(user) -> list[RasterDataset]:
    return [r for r in RasterDataset.objects.all() if can_read(user, _AsSpec(r))]


def readable_raster(user, slug: str) -> RasterDataset | None:
    rec = RasterDataset.objects.filter(slug=slug).first()
    return rec if rec is not None and can_read(user, _AsSpec(rec)) else None
