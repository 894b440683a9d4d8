from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from layers.models.base import Feature, tracked


@tracked
class School(Feature):
    class Level(models.TextChoices):
        PRESCHOOL = "mam_non", _("Mầm non")
        PRIMARY = "tieu_hoc", _("Tiểu học")
        LOWER_SECONDARY = "thcs", _("Trung học cơ sở")
        UPPER_SECONDARY = "thpt", _("Trung học phổ thông")

    name = models.CharField(_("tên trường"), max_length=200)
    level = models.CharField(_("cấp học"), max_length=10, choices=Level.choices)
    students = models.PositiveIntegerField(_("số học sinh"))
    teachers = models.PositiveIntegerField(_("số giáo viên"))
    public = models.BooleanField(_("công lập"), default=True)
    geom = models.PointField(srid=4326)

    class Meta:
        verbose_name = _("trường học")
