from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from rasters import views

urlpatterns = [
    path("rasters/upload/", views.upload, name="raster-upload"),
    path("rasters/<slug:slug>/tiles/<int:z>/<int:x>/<int:y>.png", views.tile, name="raster-tile"),
    path("rasters/<slug:slug>/legend", views.raster_legend, name="raster-legend"),
    path("rasters/<slug:slug>/point", views.point, name="raster-point"),
    path("rasters/<slug:slug>/zonal", csrf_exempt(views.zonal), name="raster-zonal"),
]
