"""Who may see and change what: one rule, used by every path (portal, /ogc, exports, ...)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from gis_server.roles import EDITOR, OPERATOR, is_administrator, user_groups
from layers import registry
from layers.registry import LayerSpec


def can_read_level(user, access: str, roles: tuple[str, ...] = ()) -> bool:
    """The rule itself, for anything with an access level (layers, rasters)."""
    if access == "public":
        return True
    if user is None or not user.is_authenticated:
        return False
    if access == "internal":
        return True
    return is_administrator(user) or bool(user_groups(user) & set(roles))


def can_read(user, spec: LayerSpec) -> bool:
    return can_read_level(user, spec.access, spec.roles)


def visible_layers(user) -> list[LayerSpec]:
    user = user if user is not None else AnonymousUser()
    return [s for s in registry.all_layers() if can_read(user, s)]


def audience_for(user, spec: LayerSpec) -> frozenset[str] | None:
    """For a layer whose rows follow other layers' access: the ids of every layer this user
    may read (None for the other layers, which need no such set)."""
    if spec.row_filter is None:
        return None
    return frozenset(s.id for s in visible_layers(user))


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
    scopes = [("citizen", None)] if OPERATOR in user_groups(user) else []  # operators handle citizen reports
    if EDITOR in user_groups(user):
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
