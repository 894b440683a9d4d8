"""The monitoring domains, one module each, in display order (DESIGN.md's table)."""

from operations.domain import Domain
from operations.domains import (
    citizen,
    cyber,
    education,
    health,
    land,
    media,
    public_services,
    security,
    socioeconomic,
    tourism,
    traffic,
)

DOMAINS: tuple[Domain, ...] = tuple(m.DOMAIN for m in (
    socioeconomic, public_services, traffic, security, citizen, health, education, land, cyber, media, tourism))
BY_ID: dict[str, Domain] = {d.id: d for d in DOMAINS}


def get_domain(domain_id: str) -> Domain | None:
    return BY_ID.get(domain_id)
