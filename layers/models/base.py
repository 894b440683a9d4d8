from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


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
