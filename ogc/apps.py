import pygeoapi.api.itemtypes as itemtypes
from django.apps import AppConfig


class OgcConfig(AppConfig):
    name = "ogc"
    verbose_name = "OGC API"

    def ready(self) -> None:
        _skip_identity_bbox_transform()


def _skip_identity_bbox_transform() -> None:
    """pygeoapi 0.24 transforms every bbox to the storage CRS, even CRS84 to CRS84, and the
    pyproj `to_epsg()` look-up inside costs ~15 ms a request. Skip the identity case."""
    original = itemtypes.transform_bbox
    if getattr(original, "_ioc_wrapped", False):
        return

    def transform_bbox(bbox, from_crs, to_crs, *args, **kwargs):
        if isinstance(from_crs, str) and from_crs == to_crs:
            return list(bbox)
        return original(bbox, from_crs, to_crs, *args, **kwargs)

    transform_bbox._ioc_wrapped = True
    itemtypes.transform_bbox = transform_bbox
