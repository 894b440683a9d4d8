from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from layers.models.base import Feature, tracked


@tracked
class TouristSite(Feature):
    class Kind(models.TextChoices):
        NATURE = "nature", _("Thiên nhiên")
        HISTORY = "history", _("Di tích lịch sử")
        CULTURE = "culture", _("Văn hóa, tâm linh")
        ECO = "eco", _("Sinh thái, nghỉ dưỡng")

    name = models.CharField(_("tên điểm du lịch"), max_length=200)
    kind = models.CharField(_("loại hình"), max_length=10, choices=Kind.choices)
    annual_visitors = models.PositiveIntegerField(_("lượt khách mỗi năm"))
    geom = models.PointField(srid=4326)

    class Meta:
        verbose_name = _("điểm du lịch")
