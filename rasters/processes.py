"""OGC API - Processes: zonal statistics of a raster per admin level or inside a polygon."""

from pygeoapi.process.base import BaseProcessor, ProcessorExecuteError

from rasters.models import RasterDataset
from rasters.zonal import zonal_statistics

PROCESS_METADATA = {
    "version": "1.0.0",
    "id": "zonal-statistics",
    "title": {"vi": "Thống kê vùng của ảnh raster", "en": "Zonal statistics of a raster"},
    "description": {"vi": "Trung bình, nhỏ nhất, lớn nhất, tổng (hoặc diện tích theo lớp) theo đơn vị hành chính hoặc vùng",
                    "en": "Mean, min, max, sum (or area per class) per administrative unit or inside a polygon"},
    "jobControlOptions": ["sync-execute"],
    "keywords": ["zonal statistics", "raster"],
    "links": [],
    "inputs": {
        "raster": {"title": "Raster id", "schema": {"type": "string"}, "minOccurs": 1, "maxOccurs": 1},
        "level": {"title": "Admin level", "schema": {"type": "string", "enum": ["province", "district", "commune"]},
                  "minOccurs": 0, "maxOccurs": 1},
        "geometry": {"title": "GeoJSON polygon (EPSG:4326)", "schema": {"type": "object"}, "minOccurs": 0,
                     "maxOccurs": 1},
    },
    "outputs": {"zones": {"title": "Statistics per zone", "schema": {"type": "object",
                                                                      "contentMediaType": "application/json"}}},
    "example": {"inputs": {"raster": "population", "level": "district"}},
}


class ZonalStatisticsProcessor(BaseProcessor):
    def __init__(self, processor_def):
        super().__init__(processor_def, PROCESS_METADATA)

    def execute(self, data, outputs=None):
        rec = RasterDataset.objects.filter(slug=data.get("raster")).first()
        if rec is None:
            raise ProcessorExecuteError(user_msg=f"unknown raster {data.get('raster')!r}")
        try:
            zones = zonal_statistics(rec, level=data.get("level", "commune"), polygon=data.get("geometry"))
        except (ValueError, TypeError) as exc:
            raise ProcessorExecuteError(user_msg=str(exc)) from None
        return "application/json", {"raster": rec.slug, "unit": rec.value_unit, "kind": rec.kind, "zones": zones}
