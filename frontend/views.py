"""The map portal and the field editor: layer lists come from the registry, features from /ogc."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from gis_server.context import page_language
from layers.selectors import editable_layer_forms, layer_catalogue
from rasters.access import raster_catalogue


def portal(request):
    """The map portal: the layer list comes from the registry, features from /ogc."""
    lang = page_language()
    return render(request, "frontend/portal.html", {
        "portal_config": {"lang": lang, **layer_catalogue(user=request.user, lang=lang), "ogc": "/ogc",
                          "rasters": raster_catalogue(user=request.user),
                          "user": request.user.get_username() if request.user.is_authenticated else None},
    })


@login_required
def field_editor(request):
    """Mobile-first field editing: the layers this user may edit, with their form schema."""
    return render(request, "frontend/field.html", {
        "field_config": {"lang": page_language(), "layers": editable_layer_forms(user=request.user), "ogc": "/ogc",
                         "user": request.user.get_username()},
    })
