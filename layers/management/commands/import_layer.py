from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from layers.domains import domains
from layers.importing import ImportError_, import_layer_file


class Command(BaseCommand):
    help = ("Import a vector file (GeoPackage, Shapefile zip or folder, GeoJSON, CSV with lon/lat) "
            "as a new layer, reprojected to EPSG:4326. All or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--layer", required=True, help="id of the new layer (a slug, e.g. cho-dau-moi)")
        parser.add_argument("--title", help="Vietnamese title (default: the id)")
        parser.add_argument("--title-en", help="English title")
        parser.add_argument("--domain", default="other", choices=list(domains()))
        parser.add_argument("--access", default="internal", choices=["public", "internal", "restricted"],
                            help="who may read the layer (default: internal, logged-in staff; "
                                 "--access public to publish it to anyone)")
        parser.add_argument("--crs", help="CRS of a file that declares none (EPSG:9212 = VN-2000 Bình Phước, "
                                          "EPSG:32648 = UTM 48N; aliases VN2000, UTM48N)")
        parser.add_argument("--lon-field", help="CSV: longitude/X column (default: lon, lng, x, ...)")
        parser.add_argument("--lat-field", help="CSV: latitude/Y column (default: lat, y, ...)")
        parser.add_argument("--source-layer", help="layer inside a GeoPackage or shapefile folder")
        parser.add_argument("--time-field", help="date or date-time column for the time filter")
        parser.add_argument("--skip-invalid", action="store_true",
                            help="import the rows with usable geometry and report the others")
        parser.add_argument("--replace", action="store_true", help="replace an existing imported layer")

    def handle(self, *args, **o):
        try:
            report = import_layer_file(
                path=o["file"], layer_id=o["layer"], title=o["title"], title_en=o["title_en"],
                domain=o["domain"], access=o["access"], crs=o["crs"], lon_field=o["lon_field"],
                lat_field=o["lat_field"], source_layer=o["source_layer"], time_field=o["time_field"],
                skip_invalid=o["skip_invalid"], replace=o["replace"],
            )
        except ImportError_ as exc:
            raise CommandError(f"Import failed, nothing was written: {exc}") from None
        for line in report.lines():
            self.stdout.write(line)
        who = {"public": "anyone", "internal": "logged-in staff only", "restricted": "administrators only"}
        self.stdout.write(f"access: {o['access']} ({who[o['access']]}); change it with --replace --access ...")
        self.stdout.write(self.style.SUCCESS(f"Layer {report.layer!r} is on /ogc/collections/{report.layer}"))
