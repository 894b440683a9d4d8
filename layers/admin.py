"""Admin pages with django-leaflet map widgets for geometry editing."""

from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from layers.models import (
    AdminUnit,
    BlackSpot,
    HealthFacility,
    ImportedLayer,
    LandParcel,
    School,
    TouristSite,
    TrafficAccident,
    TrafficCamera,
)


@admin.register(AdminUnit)
class AdminUnitAdmin(LeafletGeoAdmin):
    list_display = ("code", "kind", "name", "level", "parent", "population", "area_km2")
    list_filter = ("level",)
    search_fields = ("code", "name", "name_en")


class FeatureAdmin(LeafletGeoAdmin):
    readonly_fields = ("commune", "updated_at")
    list_select_related = ("commune",)


@admin.register(School)
class SchoolAdmin(FeatureAdmin):
    list_display = ("name", "level", "students", "teachers", "commune")
    list_filter = ("level", "public")
    search_fields = ("name",)


@admin.register(HealthFacility)
class HealthFacilityAdmin(FeatureAdmin):
    list_display = ("name", "kind", "beds", "doctors", "commune")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(TouristSite)
class TouristSiteAdmin(FeatureAdmin):
    list_display = ("name", "kind", "annual_visitors", "commune")
    search_fields = ("name",)


@admin.register(TrafficAccident)
class TrafficAccidentAdmin(FeatureAdmin):
    list_display = ("occurred_at", "severity", "deaths", "injuries", "road", "commune")
    list_filter = ("severity", "road")
    date_hierarchy = "occurred_at"


@admin.register(BlackSpot)
class BlackSpotAdmin(FeatureAdmin):
    list_display = ("name", "road", "accidents_12m", "identified_on", "commune")


@admin.register(TrafficCamera)
class TrafficCameraAdmin(FeatureAdmin):
    list_display = ("name", "kind", "road", "online", "commune")
    list_filter = ("kind", "online")


@admin.register(LandParcel)
class LandParcelAdmin(FeatureAdmin):
    list_display = ("sheet", "number", "land_use", "area_m2", "commune")
    list_filter = ("land_use",)
    show_full_result_count = False  # no count(*) over a million parcels on every page


@admin.register(ImportedLayer)
class ImportedLayerAdmin(admin.ModelAdmin):
    list_display = ("slug", "title_vi", "domain", "access", "geometry_type", "feature_count", "created_at")
    readonly_fields = ("table_name", "geometry_type", "fields", "feature_count", "source")
