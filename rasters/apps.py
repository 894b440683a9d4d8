from django.apps import AppConfig


class RastersConfig(AppConfig):
    name = "rasters"
    verbose_name = "Raster"
