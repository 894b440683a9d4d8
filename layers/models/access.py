from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EditScope(models.Model):
    """Where an editor may edit: a domain (blank: every domain) within a district (empty:
    the whole province). An editor may hold several scopes."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="edit_scopes")
    domain = models.CharField(_("lĩnh vực"), max_length=20, blank=True)
    district = models.ForeignKey("layers.AdminUnit", null=True, blank=True, on_delete=models.CASCADE,
                                 limit_choices_to={"level": "district"})

    class Meta:
        verbose_name = _("phạm vi biên tập")

    def __str__(self) -> str:
        return f"{self.user}: {self.domain or '*'} @ {self.district or 'toàn tỉnh'}"


class FeaturePhoto(models.Model):
    """A photo attached to a feature of any layer (field editor)."""

    layer = models.CharField(max_length=63, db_index=True)
    feature_id = models.BigIntegerField(db_index=True)
    image = models.ImageField(upload_to="photos/%Y/%m/")
    caption = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)


class IdempotencyKey(models.Model):
    """A create already done for this client-generated key: a resend (offline queue, lost
    response) gets the same feature back instead of a duplicate."""

    key = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    layer = models.CharField(max_length=63)
    feature_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "layer", "key"], name="unique_idempotency_key")]
