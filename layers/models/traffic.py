from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from layers.models.base import Feature, tracked


@tracked
class TrafficAccident(Feature):
    class Severity(models.TextChoices):
        MINOR = "minor", _("Va chạm")
        SERIOUS = "serious", _("Nghiêm trọng")
        VERY_SERIOUS = "very_serious", _("Rất nghiêm trọng")
        CRITICAL = "critical", _("Đặc biệt nghiêm trọng")

    occurred_at = models.DateTimeField(_("thời điểm"), db_index=True)
    severity = models.CharField(_("mức độ"), max_length=12, choices=Severity.choices)
    deaths = models.PositiveSmallIntegerField(_("số người chết"))
    injuries = models.PositiveSmallIntegerField(_("số người bị thương"))
    road = models.CharField(_("tuyến đường"), max_length=120)
    geom = models.PointField(srid=4326)

    class Meta:
        verbose_name = _("tai nạn giao thông")


@tracked
class BlackSpot(Feature):
    name = models.CharField(_("tên điểm đen"), max_length=200)
    road = models.CharField(_("tuyến đường"), max_length=120)
    accidents_12m = models.PositiveSmallIntegerField(_("số vụ 12 tháng"))
    identified_on = models.DateField(_("ngày xác định"))
    geom = models.PointField(srid=4326)

    class Meta:
        verbose_name = _("điểm đen giao thông")


@tracked
class TrafficCamera(Feature):
    class Kind(models.TextChoices):
        SURVEILLANCE = "surveillance", _("Giám sát")
        SPEED = "speed", _("Đo tốc độ")
        RED_LIGHT = "red_light", _("Vượt đèn đỏ")

    name = models.CharField(_("tên camera"), max_length=200)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    road = models.CharField(_("tuyến đường"), max_length=120)
    online = models.BooleanField(_("đang hoạt động"), default=True)
    geom = models.PointField(srid=4326)

    class Meta:
        verbose_name = _("camera giao thông")


class RoadSegment(models.Model):
    """A stretch of a main road (about 5 km), for accident density."""

    road = models.CharField(_("tuyến đường"), max_length=120)
    km_from = models.FloatField(_("từ km"))
    km_to = models.FloatField(_("đến km"))
    geom = models.LineStringField(srid=4326)

    class Meta:
        verbose_name = _("đoạn đường")
