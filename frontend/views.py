from django.shortcuts import render
from django.utils.translation import get_language

from layers.domains import DOMAINS
from layers.access import visible_layers


def portal(request):
    """The map portal: the layer list comes from the registry, features from /ogc."""
    lang = "en" if (get_language() or "vi").startswith("en") else "vi"
    layers = [s.public_dict() for s in visible_layers(request.user)]
    groups = []
    for dom, (vi, en) in DOMAINS.items():
        members = [lyr for lyr in layers if lyr["domain"] == dom]
        if members:
            groups.append({"id": dom, "title": en if lang == "en" else vi, "layers": [m["id"] for m in members]})
    return render(request, "frontend/portal.html", {
        "portal_config": {"lang": lang, "layers": layers, "groups": groups, "ogc": "/ogc"},
    })
