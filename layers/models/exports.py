import uuid

from django.conf import settings
from django.db import models


class ExportJob(models.Model):
    """A large export running in the background, with progress the portal polls."""

    class Status(models.TextChoices):
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    layer = models.CharField(max_length=63)
    format = models.CharField(max_length=8)
    filters = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    path = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
