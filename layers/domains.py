"""The monitoring domains' ids and names. The core knows two (administrative units and
imported data); each monitoring domain module of `operations` registers its own at start-up,
so a new domain is one file there."""

from __future__ import annotations

CORE_FIRST = {"admin": ("Đơn vị hành chính", "Administrative units")}
CORE_LAST = {"other": ("Dữ liệu khác", "Other data")}
_registered: dict[str, tuple[str, str]] = {}


def register_domain(domain_id: str, title_vi: str, title_en: str) -> None:
    """Declare a domain (idempotent for the same names)."""
    known = {**CORE_FIRST, **CORE_LAST, **_registered}.get(domain_id)
    if known is not None and known != (title_vi, title_en):
        raise ValueError(f"domain {domain_id!r} is already declared as {known}")
    _registered[domain_id] = (title_vi, title_en)


def domains() -> dict[str, tuple[str, str]]:
    """id -> (Vietnamese, English) names, in display order (administrative units first,
    then the monitoring domains in the order they were registered, other data last)."""
    return {**CORE_FIRST, **_registered, **CORE_LAST}
