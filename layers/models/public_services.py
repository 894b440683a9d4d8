from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from layers.models.base import Feature, tracked


@tracked
class ServiceCentre(Feature):
    """One-stop office (bộ phận một cửa) of a unit."""

    name = models.CharField(_("tên bộ phận một cửa"), max_length=200)
    unit = models.ForeignKey("layers.AdminUnit", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("đơn vị"))
    level = models.CharField(_("cấp"), max_length=10)
    geom = models.PointField(srid=4326)

    class Meta:
        verbose_name = _("bộ phận một cửa")


class Dossier(models.Model):
    """An administrative-procedure dossier (hồ sơ thủ tục hành chính)."""

    class Status(models.TextChoices):
        PROCESSING = "processing", _("Đang xử lý")
        RESOLVED = "resolved", _("Đã giải quyết")
        RETURNED = "returned", _("Trả lại, bổ sung")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Trực tuyến")
        OFFLINE = "offline", _("Trực tiếp")

    code = models.CharField(_("mã hồ sơ"), max_length=30, unique=True)
    procedure = models.CharField(_("thủ tục"), max_length=200)
    centre = models.ForeignKey(ServiceCentre, on_delete=models.CASCADE, related_name="dossiers")
    unit = models.ForeignKey("layers.AdminUnit", on_delete=models.CASCADE, related_name="+")
    received_at = models.DateTimeField(_("ngày tiếp nhận"), db_index=True)
    due_at = models.DateTimeField(_("hạn giải quyết"), db_index=True)
    resolved_at = models.DateTimeField(_("ngày giải quyết"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, db_index=True)
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)

    class Meta:
        indexes = [models.Index(fields=["unit", "status"])]
