import pghistory
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


# Trigger-based history (django-pghistory): inserts, updates and deletes are recorded by
# PostgreSQL itself, so writes that bypass the ORM (raw SQL, pygeoapi) are captured too;
# the request's user comes from pghistory's context (HistoryMiddleware).
def tracked(model):
    """Class decorator; fresh tracker objects per model (pgtrigger caches fields on them)."""
    return pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())(model)


class Feature(models.Model):
    """A feature of a layer. `commune` is filled by a database trigger (spatial join) on
    every insert or geometry change, whatever the path: ORM, import, OGC, raw SQL."""

    commune = models.ForeignKey(
        "layers.AdminUnit",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("xã/phường"),
    )
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        abstract = True
