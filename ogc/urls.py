from django.urls import re_path

from ogc import views

ID = r"(?P<collection_id>[A-Za-z0-9_.-]+)"

urlpatterns = [
    re_path(r"^ogc/?$", views.landing_page, name="ogc-landing"),
    re_path(r"^ogc/openapi/?$", views.openapi, name="ogc-openapi"),
    re_path(r"^ogc/conformance/?$", views.conformance, name="ogc-conformance"),
    re_path(r"^ogc/collections/?$", views.collections, name="ogc-collections"),
    re_path(rf"^ogc/collections/{ID}/?$", views.collections, name="ogc-collection"),
    re_path(rf"^ogc/collections/{ID}/queryables/?$", views.queryables, name="ogc-queryables"),
    re_path(rf"^ogc/collections/{ID}/items/?$", views.items, name="ogc-items"),
    re_path(rf"^ogc/collections/{ID}/items/(?P<item_id>[^/]+)/?$", views.item, name="ogc-item"),
]
