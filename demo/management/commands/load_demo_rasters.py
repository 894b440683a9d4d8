from django.core.management.base import BaseCommand, CommandError

from demo.rasters import build_demo_rasters
from rasters.models import RasterDataset, ZonalResult
from rasters.services import RasterError
from rasters.zonal import refresh_zonal_layers


class Command(BaseCommand):
    help = "Generate the four demo rasters for Bình Phước (population, land cover, flood hazard, NDVI) as COGs."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true")

    def handle(self, *args, if_empty, **opts):
        if if_empty and RasterDataset.objects.exists():
            if not ZonalResult.objects.exists():  # the vector demo was reloaded: recompute the choropleths
                refresh_zonal_layers()
            self.stdout.write("Demo rasters already loaded.")
            return
        try:
            made = build_demo_rasters()
            refresh_zonal_layers()
        except RasterError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"rasters: {', '.join(made)}"))
