"""Who may see and change what: one rule, used by every path (portal, /ogc, exports, ...)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from layers import registry
from layers.registry import LayerSpec


def _groups(user) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_ioc_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._ioc_groups = cached
    return cached


def is_administrator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or "administrator" in _groups(user))


def can_read(user, spec: LayerSpec) -> bool:
    if spec.access == "public":
        return True
    if not user.is_authenticated:
        return False
    if spec.access == "internal":
        return True
    return is_administrator(user) or bool(_groups(user) & set(spec.roles))


def visible_layers(user) -> list[LayerSpec]:
    user = user if user is not None else AnonymousUser()
    return [s for s in registry.all_layers() if can_read(user, s)]


def readable_layer(user, layer_id: str) -> LayerSpec | None:
    """The layer if it exists and the user may read it; None otherwise (same answer: 404)."""
    spec = registry.get_layer(layer_id)
    return spec if spec is not None and can_read(user if user is not None else AnonymousUser(), spec) else None


def edit_scopes(user) -> list[tuple[str, int | None]]:
    """(domain or '', district id or None) pairs; administrators edit everywhere."""
    if not user.is_authenticated:
        return []
    if is_administrator(user):
        return [("", None)]
    scopes = [("citizen", None)] if "operator" in _groups(user) else []  # operators handle citizen reports
    if "editor" in _groups(user):
        scopes += list(user.edit_scopes.values_list("domain", "district_id"))
    return scopes


def editing_districts(user, spec: LayerSpec) -> list[int | None] | None:
    """Districts the user may edit this layer in ([None] = whole province), or None if not at all."""
    if not spec.editable or not can_read(user, spec):
        return None
    districts = [d for dom, d in edit_scopes(user) if dom in ("", spec.domain)]
    if not districts:
        return None
    return [None] if None in districts else districts
