from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class AdminUnit(models.Model):
    """Province, district or commune: the backbone every feature and KPI hangs on."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh")
        DISTRICT = "district", _("Huyện/Thị xã/Thành phố")
        COMMUNE = "commune", _("Xã/Phường/Thị trấn")

    code = models.CharField(_("mã"), max_length=10, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=120, blank=True)
    kind = models.CharField(_("loại"), max_length=40, help_text="Thành phố, Thị xã, Huyện, Phường, Xã, Thị trấn")
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    population = models.PositiveIntegerField(_("dân số"), null=True, blank=True)
    area_km2 = models.FloatField(_("diện tích"), null=True, blank=True)
    geom = models.MultiPolygonField(srid=4326)

    class Meta:
        ordering = ["code"]
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"
