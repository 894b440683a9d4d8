"""What pages need to know about the layers a user may see (no features: those come from /ogc)."""

from __future__ import annotations

from layers.access import editing_districts, visible_layers
from layers.domains import domains


def layer_catalogue(*, user, lang: str) -> dict:
    """The portal's layer list: each layer's drawing and labelling info, grouped by domain."""
    layers = [s.public_dict() for s in visible_layers(user)]
    groups = []
    for dom, (vi, en) in domains().items():
        members = [lyr["id"] for lyr in layers if lyr["domain"] == dom]
        if members:
            groups.append({"id": dom, "title": en if lang == "en" else vi, "layers": members})
    return {"layers": layers, "groups": groups}


def editable_layer_forms(*, user) -> list[dict]:
    """The layers this user may edit, each with its form (the writable fields and their rules)."""
    out = []
    for spec in visible_layers(user):
        if editing_districts(user, spec) is None:
            continue
        d = spec.public_dict()
        d["form"] = [
            {"name": f.name, "title": str(f.title), "type": f.type, "format": f.format, "unit": str(f.unit),
             "required": f.required, "choices": [[k, str(v)] for k, v in f.choices], "min": f.minimum,
             "max": f.maximum, "max_length": f.max_length}
            for f in spec.fields if f.column
        ]
        out.append(d)
    return out
