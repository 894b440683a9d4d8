from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class Alert(models.Model):
    """An alert opened by a threshold rule; acknowledged and resolved by staff (or closed by
    the rule itself when its cause is gone)."""

    class Severity(models.TextChoices):
        WARNING = "warning", _("Cảnh báo")
        CRITICAL = "critical", _("Nghiêm trọng")

    rule = models.CharField(_("quy tắc"), max_length=60)
    key = models.CharField(max_length=200, help_text="rule + subject: one open alert per key")
    domain = models.CharField(_("lĩnh vực"), max_length=20)
    severity = models.CharField(_("mức độ"), max_length=10, choices=Severity.choices)
    title = models.CharField(_("nội dung"), max_length=300)
    value = models.FloatField(_("giá trị"), null=True)
    threshold = models.FloatField(_("ngưỡng"), null=True)
    unit = models.ForeignKey("layers.AdminUnit", null=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("đơn vị"))
    opened_at = models.DateTimeField(_("mở lúc"), auto_now_add=True, db_index=True)
    acknowledged_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    resolved_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    geom = models.GeometryField(srid=4326)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key"], condition=models.Q(resolved_at__isnull=True),
                                               name="one_open_alert_per_key")]
