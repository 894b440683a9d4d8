"""The core's own layers: the administrative units every feature and figure is tied to.
The monitoring domains declare theirs in `operations.domains`."""

from django.utils.translation import gettext_lazy as _

from layers.models import AdminUnit
from layers.registry import LayerSpec, Style, layer_from_model

ADMIN_FIELDS = ("code", "name", "name_en", "kind", "level", "population", "area_km2")
ADMIN_UNITS = {"population": _("người"), "area_km2": _("km²")}

CORE_LAYERS: tuple[LayerSpec, ...] = (
    layer_from_model(
        AdminUnit, id="admin-districts", title_vi="Ranh giới huyện, thị xã, thành phố",
        title_en="District boundaries", domain="admin", where="t.level = 'district'",
        fields=ADMIN_FIELDS, units=ADMIN_UNITS, title_field="name",
        style=Style(color="#2d3748", fill="#00000000", weight=2),
    ),
    layer_from_model(
        AdminUnit, id="admin-communes", title_vi="Ranh giới xã, phường, thị trấn",
        title_en="Commune boundaries", domain="admin", where="t.level = 'commune'",
        fields=ADMIN_FIELDS, units=ADMIN_UNITS, title_field="name",
        style=Style(color="#718096", fill="#00000000", weight=1),
    ),
)
