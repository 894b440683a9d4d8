import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token for QGIS and scripts; only its hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.user} / {self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name: str) -> tuple["ApiToken", str]:
        """Create a token; the clear key is returned once and never stored."""
        key = "ioc_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, prefix=key[4:12], key_hash=hash_token(key)), key

    @classmethod
    def revoke_for(cls, *, user, token_id) -> bool:
        """Revoke one of this user's own tokens; False if it is not theirs."""
        tok = cls.objects.filter(user=user, pk=token_id).first() if str(token_id or "").isdigit() else None
        if tok is None:
            return False
        tok.revoke()
        return True

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
