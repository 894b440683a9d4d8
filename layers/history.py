"""Feature history from django-pghistory's trigger-written events, and restores."""

from __future__ import annotations

import json

import pghistory
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from layers import editing
from layers.registry import LayerSpec

# what a change was, in the page's language (the trigger's labels are codes)
ACTION_LABELS = {"insert": _("Tạo mới"), "update": _("Sửa"), "delete": _("Xóa"), "restore": _("Khôi phục")}
BY_LABELS = {"database": _("sửa trực tiếp trong cơ sở dữ liệu"), "unknown": _("không rõ")}
SKIP = {"pgh_id", "pgh_created_at", "pgh_label", "pgh_obj", "pgh_obj_id", "pgh_context", "pgh_context_id",
        "updated_at", "commune", "commune_id"}


def _event_model(spec: LayerSpec):
    model = getattr(spec.model, "pgh_event_model", None) if spec.model else None
    if model is None:
        raise editing.FeatureNotFound(f"layer {spec.id!r} keeps no history")
    return model


def _snapshot(event, spec: LayerSpec) -> dict:
    out = {}
    for f in spec.fields:
        if f.column:
            v = getattr(event, f.name, None)
            out[f.name] = v.isoformat() if hasattr(v, "isoformat") else v
    geom = getattr(event, "geom", None)
    out["geometry"] = json.loads(geom.geojson) if geom is not None else None
    return out


def feature_history(*, spec: LayerSpec, fid: int) -> list[dict]:
    """Every change of one feature, oldest first: who, when, how, and what changed."""
    Event = _event_model(spec)
    events = list(Event.objects.filter(pgh_obj_id=fid).select_related("pgh_context").order_by("pgh_id"))
    users = {u.pk: u.get_username() for u in get_user_model().objects.filter(
        pk__in={e.pgh_context.metadata.get("user") for e in events if e.pgh_context})}
    out, before = [], None
    for e in events:
        meta = e.pgh_context.metadata if e.pgh_context else {}
        after = _snapshot(e, spec)
        changed = {k: {"before": (before or {}).get(k), "after": v} for k, v in after.items()
                   if before is None or before.get(k) != v}
        out.append({
            "event": e.pgh_id, "action": e.pgh_label, "action_label": str(ACTION_LABELS.get(e.pgh_label, e.pgh_label)),
            "at": e.pgh_created_at.isoformat(),
            "by": users.get(meta.get("user"), "database" if not meta else "unknown"),
            "by_label": users.get(meta.get("user"), str(BY_LABELS["database" if not meta else "unknown"])),
            "via": meta.get("url", "SQL" if not meta else ""),
            "restored_from": meta.get("restored_from"),
            "changes": {} if e.pgh_label == "delete" else changed,
            "snapshot": after,
        })
        before = after
    if not out and editing.feature_etag(spec, fid) is None:
        raise editing.FeatureNotFound(f"item {fid} not found")
    return out  # an existing feature unchanged since it was loaded has no events


def feature_restore(*, spec: LayerSpec, user, fid: int, event_id: int) -> None:
    """Bring a feature back to the state recorded by one event (the restore is recorded too)."""
    Event = _event_model(spec)
    event = Event.objects.filter(pgh_obj_id=fid, pgh_id=event_id).first()
    if event is None:
        raise editing.FeatureNotFound(f"no event {event_id} for item {fid}")
    snap = _snapshot(event, spec)
    geometry = snap.pop("geometry")
    doc = {"type": "Feature", "geometry": geometry, "properties": snap}
    with pghistory.context(restored_from=event_id):
        if editing.feature_etag(spec, fid) is None:
            editing.feature_create(spec=spec, user=user, doc=doc, fixed_id=fid)  # returns (id, True)
        else:
            editing.feature_write(spec=spec, user=user, fid=fid, doc=doc, partial=False)


