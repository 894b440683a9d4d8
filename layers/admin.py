"""Admin pages with django-leaflet map widgets for geometry editing."""

import json

from django import forms
from django.contrib import admin
from django.contrib.gis.geos import GEOSGeometry
from leaflet.admin import LeafletGeoAdmin

from gis_server.roles import is_administrator
from layers import editing, registry
from layers.models import (
    AdminUnit,
    BlackSpot,
    HealthFacility,
    ImportedLayer,
    LandParcel,
    ReportDelivery,
    School,
    SecurityIncident,
    TouristSite,
    TrafficAccident,
    TrafficCamera,
)


class AdministratorsOnly:
    """The admin site is for administrators; editors edit through /field, QGIS or /ogc."""

    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class FeatureForm(forms.ModelForm):
    """The admin applies the same geometry rules as every other editing path."""

    def clean(self):
        data = super().clean()
        geom = data.get("geom")
        spec = next((s for s in registry.static_layers() if s.model is self._meta.model), None)
        if geom is not None and spec is not None:
            try:
                wkb, _ = editing.clean_geometry(spec, json.loads(geom.geojson), geom.srid or 4326)
            except editing.FeatureInvalid as exc:
                raise forms.ValidationError({"geom": exc.message}) from None
            data["geom"] = GEOSGeometry(wkb, srid=4326)
        return data


@admin.register(AdminUnit)
class AdminUnitAdmin(AdministratorsOnly, LeafletGeoAdmin):
    list_display = ("code", "kind", "name", "level", "parent", "population", "area_km2")
    list_filter = ("level",)
    search_fields = ("code", "name", "name_en")


class FeatureAdmin(AdministratorsOnly, LeafletGeoAdmin):
    form = FeatureForm
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


@admin.register(SecurityIncident)
class SecurityIncidentAdmin(FeatureAdmin):
    list_display = ("occurred_at", "category", "status", "commune")
    list_filter = ("category", "status")


@admin.register(ImportedLayer)
class ImportedLayerAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ("slug", "title_vi", "domain", "access", "geometry_type", "feature_count", "created_at")
    readonly_fields = ("table_name", "geometry_type", "fields", "feature_count", "source")


@admin.register(ReportDelivery)
class ReportDeliveryAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ("period", "status", "attempts", "delivered_at", "idempotency_key")
    readonly_fields = ("period", "idempotency_key", "payload", "status", "attempts", "log", "delivered_at")
