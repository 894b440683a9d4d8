"""Dashboard selectors: one card per domain (key figures, change against the previous period,
red/amber/green), and per domain a monthly series and a ranking of units (worst first).
Every figure carries its unit and period. Computing one domain computes only that domain."""

from __future__ import annotations

from gis_server.db import read_connection, replica_reads
from layers.models import AdminUnit
from operations.domain import Card, Domain
from operations.domains import DOMAINS, get_domain

MAX_MONTHS = 24
FILTER_NAMES = ("f_unit", "f_unit_d", "f_unit_u", "f_commune", "f_commune_w", "f_commune_s",
                "f_district_c", "f_district_m")


def visible_card_layers(domain: Domain, readable: set[str]) -> list[str]:
    return [lyr for lyr in domain.card_layers if lyr in readable]


def readable_domain(*, domain_id: str, readable: set[str]) -> Domain | None:
    """The domain if it exists and the user may read at least one of its card's layers."""
    d = get_domain(domain_id)
    return d if d is not None and visible_card_layers(d, readable) else None


def domain_card(*, domain: Domain, lang: str, readable: set[str], district: int | None = None) -> Card:
    c = domain.card(district)
    return Card(domain.id, domain.title(lang), c.figures, c.change_pct, c.change_vs, c.state,
                visible_card_layers(domain, readable))


def domain_cards(*, lang: str, readable: set[str], district: int | None = None) -> list[Card]:
    """The overview: one card per domain whose layers the user may read."""
    return [domain_card(domain=d, lang=lang, readable=readable, district=district)
            for d in DOMAINS if visible_card_layers(d, readable)]


def _filters(district: int | None) -> dict:
    """The placeholders of series and rankings, all bound to the same district."""
    if district is None:
        return dict.fromkeys(FILTER_NAMES, "")
    sub = "(SELECT id FROM layers_adminunit WHERE id = %(d)s OR parent_id = %(d)s)"
    return {
        "f_unit": f"AND v.unit_id IN {sub}", "f_unit_d": f"AND d.unit_id IN {sub}", "f_unit_u": f"AND u.id IN {sub}",
        "f_commune": f"AND t.commune_id IN {sub}", "f_commune_w": f"AND w.commune_id IN {sub}",
        "f_commune_s": f"AND s.commune_id IN {sub}", "f_district_c": "AND c.district_id = %(d)s",
        "f_district_m": "AND m.district_id = %(d)s",
    }


def _run(sql: str, district: int | None) -> list[tuple]:
    with read_connection().cursor() as cur:
        cur.execute(sql.format(**_filters(district)), {"d": district} if district else None)
        return cur.fetchall()


def domain_series(*, domain: Domain, district: int | None = None, months: int = MAX_MONTHS) -> dict:
    s = domain.series
    found = _run(s.sql, district)[-months:]
    return {"label": str(s.label), "unit": str(s.unit),
            "points": [{"period": f"{d:%Y-%m}", "value": float(v) if v is not None else None} for d, v in found]}


def domain_ranking(*, domain: Domain, district: int | None = None) -> dict:
    r = domain.ranking
    found = _run(r.sql, district)
    return {"label": str(r.label), "unit": str(r.unit), "drill_url": r.drill_url,
            "rows": [{"id": i, "code": c, "name": n, "value": float(v) if v is not None else None,
                      "url": r.drill_url.format(code=c) if r.drill_url and c else ""}
                     for i, c, n, v in found]}


def district_id(code: str | None) -> int | None:
    """The id of a district by its code (None for the whole province); LookupError if unknown."""
    if not code:
        return None
    with replica_reads():
        unit = AdminUnit.objects.filter(code=code, level="district").first()
    if unit is None:
        raise LookupError(f"no district {code!r}")
    return unit.id


def districts() -> list[AdminUnit]:
    """The districts for the filter (read-only: may come from a replica)."""
    with replica_reads():
        return list(AdminUnit.objects.filter(level="district").order_by("name"))
