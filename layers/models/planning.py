from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from layers.models.base import Feature, tracked


@tracked
class PlanningZone(Feature):
    """A construction-planning zone with its planned land use."""

    name = models.CharField(_("tên khu quy hoạch"), max_length=200)
    plan = models.CharField(_("đồ án quy hoạch"), max_length=200)
    planned_use = models.CharField(_("chức năng quy hoạch"), max_length=3)
    period_start = models.PositiveSmallIntegerField(_("từ năm"))
    period_end = models.PositiveSmallIntegerField(_("đến năm"))
    geom = models.MultiPolygonField(srid=4326)

    class Meta:
        verbose_name = _("khu quy hoạch")
