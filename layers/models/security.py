from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from layers.models.base import Feature, tracked


@tracked
class SecurityIncident(Feature):
    """Security and order incidents: a restricted layer (named roles only)."""

    class Category(models.TextChoices):
        THEFT = "theft", _("Trộm cắp tài sản")
        ROBBERY = "robbery", _("Cướp giật")
        DRUGS = "drugs", _("Ma túy")
        FIGHT = "fight", _("Gây rối, đánh nhau")
        FRAUD = "fraud", _("Lừa đảo")
        GAMBLING = "gambling", _("Cờ bạc")

    class Status(models.TextChoices):
        NEW = "new", _("Mới tiếp nhận")
        INVESTIGATING = "investigating", _("Đang xác minh")
        CLOSED = "closed", _("Đã xử lý")

    occurred_at = models.DateTimeField(_("thời điểm"), db_index=True)
    category = models.CharField(_("loại vụ việc"), max_length=12, choices=Category.choices)
    status = models.CharField(_("trạng thái"), max_length=14, choices=Status.choices, default=Status.NEW)
    description = models.TextField(_("mô tả"), blank=True)
    reporter_name = models.CharField(_("người báo tin"), max_length=120, blank=True)
    reporter_phone = models.CharField(_("số điện thoại người báo tin"), max_length=20, blank=True)
    geom = models.PointField(srid=4326)

    class Meta:
        verbose_name = _("vụ việc an ninh trật tự")
