from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from layers.models.base import Feature, tracked


@tracked
class HealthFacility(Feature):
    class Kind(models.TextChoices):
        HOSPITAL = "hospital", _("Bệnh viện")
        CLINIC = "clinic", _("Phòng khám")
        STATION = "station", _("Trạm y tế xã")

    name = models.CharField(_("tên cơ sở"), max_length=200)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    beds = models.PositiveIntegerField(_("số giường bệnh"))
    doctors = models.PositiveIntegerField(_("số bác sĩ"))
    geom = models.PointField(srid=4326)

    class Meta:
        verbose_name = _("cơ sở y tế")
