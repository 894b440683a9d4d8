import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from layers.domains import domains
from rasters.services import RasterError, import_raster


class Command(BaseCommand):
    help = "Import a GDAL-readable raster (any CRS) as a Cloud-Optimized GeoTIFF with overviews. All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--id", required=True, dest="slug")
        parser.add_argument("--title")
        parser.add_argument("--title-en")
        parser.add_argument("--domain", default="other", choices=list(domains()))
        parser.add_argument("--access", default="internal", choices=["public", "internal", "restricted"],
                            help="who may read it (default: internal, logged-in staff)")
        parser.add_argument("--unit", default="", help="value unit, e.g. người/km²")
        parser.add_argument("--colormap", default="viridis", help="rio-tiler colour map name")
        parser.add_argument("--range", nargs=2, type=float, metavar=("MIN", "MAX"))
        parser.add_argument("--classes", type=Path, help="JSON class table: [{value, name_vi, name_en, color}]")
        parser.add_argument("--crs", help="CRS of a file that declares none (EPSG:9212 = VN-2000)")
        parser.add_argument("--nodata", type=float)
        parser.add_argument("--replace", action="store_true")

    def handle(self, *args, **o):
        classes = None
        if o["classes"]:
            try:
                classes = json.loads(o["classes"].read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise CommandError(f"cannot read the class table: {exc}") from None
        try:
            rec = import_raster(path=o["file"], slug=o["slug"], title_vi=o["title"], title_en=o["title_en"],
                                domain=o["domain"], access=o["access"], value_unit=o["unit"],
                                kind="categorical" if classes else "continuous", colormap=o["colormap"],
                                value_range=o["range"], classes=classes, crs=o["crs"], nodata=o["nodata"],
                                replace=o["replace"])
        except RasterError as exc:
            raise CommandError(f"Import failed, nothing was written: {exc}") from None
        self.stdout.write(self.style.SUCCESS(
            f"raster {rec.slug!r}: {rec.width}x{rec.height} px, {rec.crs}, {rec.resolution:g} m, stored as COG {rec.path}"))
