from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class Alert(models.Model):
    """An alert opened by a threshold rule; acknowledged, snoozed and resolved by staff (or
    closed by the rule itself when its cause is gone).

    An alert staff closed while its cause persists keeps its key "held" (`cause_cleared_at`
    empty): the rules open no new alert for that key until the cause clears and returns. A
    snoozed alert stays open but out of the open list until `snoozed_until`."""

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
    snoozed_until = models.DateTimeField(_("hoãn đến"), null=True, blank=True)
    snoozed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    cause_cleared_at = models.DateTimeField(_("hết nguyên nhân lúc"), null=True, blank=True,
                                            help_text="when the rule stopped firing for this key (empty on an alert "
                                                      "staff closed while its cause persists: the key is held)")
    geom = models.GeometryField(srid=4326)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key"], condition=models.Q(resolved_at__isnull=True),
                                               name="one_open_alert_per_key")]
        indexes = [models.Index(fields=["key"], name="alert_held_key",
                                condition=models.Q(resolved_at__isnull=False, cause_cleared_at__isnull=True))]
