from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class RasterDataset(models.Model):
    """A raster stored as a Cloud-Optimized GeoTIFF, with what a map and a legend need."""

    class Kind(models.TextChoices):
        CONTINUOUS = "continuous", _("Liên tục")
        CATEGORICAL = "categorical", _("Phân loại")

    slug = models.SlugField(unique=True, max_length=63)
    title_vi = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    domain = models.CharField(max_length=20, default="other")
    access = models.CharField(max_length=10, default="public")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    crs = models.CharField(max_length=60)
    resolution = models.FloatField(help_text="pixel size in CRS units")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    bands = models.PositiveSmallIntegerField(default=1)
    dtype = models.CharField(max_length=12)
    nodata = models.FloatField(null=True, blank=True)
    value_unit = models.CharField(max_length=40, blank=True)
    statistics = models.JSONField(default=list, help_text="per band: min, max, mean, std")
    colormap = models.CharField(max_length=40, blank=True, help_text="rio-tiler colour map (continuous)")
    value_range = models.JSONField(default=list, blank=True, help_text="[min, max] for rescaling")
    classes = models.JSONField(default=list, blank=True, help_text="[{value, name_vi, name_en, color}]")
    path = models.CharField(max_length=500, help_text="COG path under MEDIA_ROOT")
    footprint = models.PolygonField(srid=4326)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class ZonalResult(models.Model):
    """Zonal statistics of a raster per admin unit, kept for choropleth layers."""

    raster = models.ForeignKey(RasterDataset, on_delete=models.CASCADE, related_name="zonal")
    unit = models.ForeignKey("layers.AdminUnit", on_delete=models.CASCADE, related_name="+")
    mean = models.FloatField(null=True)
    total = models.FloatField(null=True)
    shares = models.JSONField(default=dict, help_text="categorical: class -> % of the unit")
    dominant = models.IntegerField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["raster", "unit"], name="one_result_per_unit")]
