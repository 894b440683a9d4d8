from django.db import models


class ReportDelivery(models.Model):
    """One period's socio-economic report for the Government's reporting system, kept until it
    is delivered: every attempt is logged, and the idempotency key never changes."""

    class Status(models.TextChoices):
        PENDING = "pending"
        DELIVERED = "delivered"
        FAILED = "failed"  # the last attempt failed; the next run tries again

    period = models.DateField(unique=True)
    idempotency_key = models.CharField(max_length=64, unique=True)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    log = models.JSONField(default=list)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period"]
