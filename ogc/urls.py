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
    re_path(rf"^ogc/collections/{ID}/coverage/?$", views.coverage, name="ogc-coverage"),
    re_path(rf"^ogc/collections/{ID}/tiles/?$", views.tilesets, name="ogc-tilesets"),
    re_path(rf"^ogc/collections/{ID}/tiles/WebMercatorQuad/?$", views.tileset, name="ogc-tileset"),
    re_path(rf"^ogc/collections/{ID}/tiles/WebMercatorQuad/(?P<z>\d+)/(?P<y>\d+)/(?P<x>\d+)/?$", views.vector_tile,
            name="ogc-tile"),
    re_path(r"^ogc/processes/?$", views.processes, name="ogc-processes"),
    re_path(r"^ogc/processes/(?P<process_id>[A-Za-z0-9_-]+)/?$", views.processes, name="ogc-process"),
    re_path(r"^ogc/processes/(?P<process_id>[A-Za-z0-9_-]+)/execution/?$", views.execute_process,
            name="ogc-execution"),
]
