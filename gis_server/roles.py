"""Role helpers: roles are Django groups; administrators (group or superuser) may do anything."""

from __future__ import annotations

ADMINISTRATOR = "administrator"
OPERATOR = "operator"
EDITOR = "editor"
VIEWER = "viewer"
ROLES = (VIEWER, OPERATOR, EDITOR, ADMINISTRATOR)


def user_groups(user) -> frozenset[str]:
    """The user's group names, read once per request (cached on the user object)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_ioc_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._ioc_groups = cached
    return cached


def is_administrator(user) -> bool:
    return user is not None and user.is_authenticated and (user.is_superuser or ADMINISTRATOR in user_groups(user))


def has_role(user, *roles: str) -> bool:
    """Administrators, or members of any of these groups."""
    return is_administrator(user) or bool(user_groups(user) & set(roles))


def is_staff_member(user) -> bool:
    return user is not None and user.is_authenticated and (user.is_staff or is_administrator(user))
