from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import get_language

from layers.access import editing_districts, visible_layers
from layers.domains import DOMAINS


def portal(request):
    """The map portal: the layer list comes from the registry, features from /ogc."""
    lang = "en" if (get_language() or "vi").startswith("en") else "vi"
    layers = [s.public_dict() for s in visible_layers(request.user)]
    groups = []
    for dom, (vi, en) in DOMAINS.items():
        members = [lyr for lyr in layers if lyr["domain"] == dom]
        if members:
            groups.append({"id": dom, "title": en if lang == "en" else vi, "layers": [m["id"] for m in members]})
    from rasters.access import readable_rasters

    rasters = [{"id": r.slug, "title": {"vi": r.title_vi, "en": r.title_en}, "kind": r.kind, "unit": r.value_unit}
               for r in readable_rasters(request.user)]
    return render(request, "frontend/portal.html", {
        "portal_config": {"lang": lang, "layers": layers, "groups": groups, "ogc": "/ogc", "rasters": rasters,
                          "user": request.user.get_username() if request.user.is_authenticated else None},
    })


@login_required
def field_editor(request):
    """Mobile-first field editing: the layers this user may edit, with their form schema."""
    lang = "en" if (get_language() or "vi").startswith("en") else "vi"
    layers = []
    for spec in visible_layers(request.user):
        if editing_districts(request.user, spec) is None:
            continue
        d = spec.public_dict()
        d["form"] = [
            {"name": f.name, "title": str(f.title), "type": f.type, "format": f.format, "unit": str(f.unit),
             "required": f.required, "choices": [[k, str(v)] for k, v in f.choices], "min": f.minimum,
             "max": f.maximum, "max_length": f.max_length}
            for f in spec.fields if f.column
        ]
        layers.append(d)
    return render(request, "frontend/field.html", {
        "field_config": {"lang": lang, "layers": layers, "ogc": "/ogc", "user": request.user.get_username()},
    })
