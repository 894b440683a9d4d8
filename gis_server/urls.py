from django.contrib import admin
from django.urls import include, path

from gis_server import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("ogc.urls")),
    path("", include("rasters.urls")),
    path("", include("frontend.urls")),
]
