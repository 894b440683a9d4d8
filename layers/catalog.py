"""The static layers: each declared once, here."""

from layers.models import (
    AdminUnit,
    BlackSpot,
    HealthFacility,
    LandParcel,
    School,
    SecurityIncident,
    TouristSite,
    TrafficAccident,
    TrafficCamera,
)
from django.utils.translation import gettext_lazy as _

from layers.registry import LayerSpec, Style, layer_from_model

LAND_USE_PALETTE = (
    ("LUC", "#f6e05e"), ("HNK", "#fbd38d"), ("CLN", "#68d391"), ("RSX", "#2f855a"),
    ("RPH", "#276749"), ("RDD", "#1c4532"), ("NTS", "#63b3ed"), ("ONT", "#fc8181"),
    ("ODT", "#e53e3e"), ("SKC", "#b794f4"), ("SKK", "#805ad5"), ("DGT", "#a0aec0"),
    ("TMD", "#ed64a6"),
)

STATIC_LAYERS: tuple[LayerSpec, ...] = (
    layer_from_model(
        AdminUnit, id="admin-districts", title_vi="Ranh giới huyện, thị xã, thành phố",
        title_en="District boundaries", domain="admin", where="t.level = 'district'",
        fields=("code", "name", "name_en", "kind", "level", "population", "area_km2"),
        units={"population": _("người"), "area_km2": _("km²")}, title_field="name",
        style=Style(color="#2d3748", fill="#00000000", weight=2),
    ),
    layer_from_model(
        AdminUnit, id="admin-communes", title_vi="Ranh giới xã, phường, thị trấn",
        title_en="Commune boundaries", domain="admin", where="t.level = 'commune'",
        fields=("code", "name", "name_en", "kind", "level", "population", "area_km2"),
        units={"population": _("người"), "area_km2": _("km²")}, title_field="name",
        style=Style(color="#718096", fill="#00000000", weight=1),
    ),
    layer_from_model(
        School, id="schools", title_vi="Trường học", title_en="Schools", domain="education",
        units={"students": _("học sinh"), "teachers": _("giáo viên")}, title_field="name", cluster=True,
        editable=True,
        style=Style(color="#3182ce", by="level", palette=(
            ("mam_non", "#90cdf4"), ("tieu_hoc", "#4299e1"), ("thcs", "#2b6cb0"), ("thpt", "#1a365d"))),
    ),
    layer_from_model(
        HealthFacility, id="health-facilities", title_vi="Cơ sở y tế", title_en="Health facilities",
        domain="health", units={"beds": _("giường"), "doctors": _("bác sĩ")}, title_field="name",
        cluster=True, editable=True,
        style=Style(color="#e53e3e", by="kind", palette=(
            ("hospital", "#c53030"), ("clinic", "#f56565"), ("station", "#feb2b2"))),
    ),
    layer_from_model(
        TouristSite, id="tourist-sites", title_vi="Điểm du lịch", title_en="Tourist sites",
        domain="tourism", units={"annual_visitors": _("lượt/năm")}, title_field="name", editable=True,
        style=Style(color="#38a169", radius=8),
    ),
    layer_from_model(
        TrafficAccident, id="traffic-accidents", title_vi="Tai nạn giao thông",
        title_en="Traffic accidents", domain="traffic", time_field="occurred_at", editable=True,
        units={"deaths": _("người"), "injuries": _("người")}, cluster=True, title_field="road",
        style=Style(color="#dd6b20", by="severity", palette=(
            ("minor", "#fbd38d"), ("serious", "#ed8936"), ("very_serious", "#c05621"),
            ("critical", "#7b341e"))),
    ),
    layer_from_model(
        BlackSpot, id="traffic-black-spots", title_vi="Điểm đen tai nạn giao thông",
        title_en="Accident black spots", domain="traffic", time_field="identified_on",
        units={"accidents_12m": _("vụ")}, title_field="name", editable=True,
        style=Style(color="#1a202c", radius=9),
    ),
    layer_from_model(
        TrafficCamera, id="traffic-cameras", title_vi="Camera giao thông", title_en="Traffic cameras",
        domain="traffic", title_field="name", editable=True, style=Style(color="#805ad5", radius=5),
    ),
    layer_from_model(
        LandParcel, id="land-parcels", title_vi="Thửa đất theo mục đích sử dụng",
        title_en="Land parcels by use", domain="land", units={"area_m2": _("m²")}, min_zoom=14, editable=True,
        title_field="land_use",
        style=Style(color="#4a5568", weight=1, by="land_use", palette=LAND_USE_PALETTE),
    ),
    layer_from_model(
        SecurityIncident, id="security-incidents", title_vi="Vụ việc an ninh, trật tự",
        title_en="Security and order incidents", domain="security", time_field="occurred_at",
        access="restricted", roles=("security",), editable=True, cluster=True, title_field="category",
        style=Style(color="#9b2c2c", by="category", palette=(
            ("theft", "#c53030"), ("robbery", "#9b2c2c"), ("drugs", "#553c9a"), ("fight", "#dd6b20"),
            ("fraud", "#2c7a7b"), ("gambling", "#975a16"))),
    ),
)
