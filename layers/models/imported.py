from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedLayer(models.Model):
    """A layer imported from a user's file: its own table in the `imported` schema,
    declared here so that the registry, /ogc and the portal pick it up without code."""

    class Access(models.TextChoices):
        PUBLIC = "public", _("Công khai")
        INTERNAL = "internal", _("Nội bộ")
        RESTRICTED = "restricted", _("Hạn chế")

    slug = models.SlugField(_("mã lớp"), max_length=63, unique=True)
    title_vi = models.CharField(_("tên lớp"), max_length=200)
    title_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    domain = models.CharField(_("lĩnh vực"), max_length=20, default="other")
    access = models.CharField(_("mức truy cập"), max_length=10, choices=Access.choices, default=Access.PUBLIC)
    table_name = models.CharField(max_length=63, unique=True)
    geometry_type = models.CharField(max_length=20)
    fields = models.JSONField(default=list, help_text="[{name, type}] in table order")
    time_field = models.CharField(max_length=63, blank=True)
    source = models.CharField(_("tệp nguồn"), max_length=500, blank=True)
    feature_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("lớp dữ liệu nhập")

    def __str__(self) -> str:
        return self.slug
