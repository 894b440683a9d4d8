"""What a monitoring domain declares, and the small helpers its declarations share.

A domain module (`operations/domains/<id>.py`) builds one `Domain`: its layers, the figures
of its card, its time series, its ranking of units with the drill-down below it, and its alert
rules with their thresholds. Adding an indicator to a domain touches that module only (and,
when it needs new data, a model and the demo)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import connection

from gis_server.db import read_connection
from layers.registry import LayerSpec


# ------------------------------------------------------------------------------ figures
@dataclass
class Figure:
    label: str
    value: float | int | None
    unit: str
    period: str


@dataclass
class CardFigures:
    """What a domain's card function returns: its figures, the change against the previous
    period (%), what that period was, and red / amber / green / grey."""

    figures: list[Figure]
    change_pct: float | None = None
    change_vs: str = ""
    state: str = "grey"


@dataclass
class Card:
    domain: str
    title: str
    figures: list[Figure]
    change_pct: float | None
    change_vs: str
    state: str  # green / amber / red / grey
    layers: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SeriesDef:
    """SQL of (month, value) rows in time order, with the district placeholders of
    `operations.dashboard`; its label and unit."""

    sql: str
    label: str
    unit: str


@dataclass(frozen=True)
class RankingDef:
    """SQL of (id, code, name, value) rows, worst first; label, unit, and the page a row
    opens (a URL with {code}), if any."""

    sql: str
    label: str
    unit: str
    drill_url: str = ""


@dataclass
class Firing:
    """One rule's verdict about one subject: an alert that should be open."""

    key: str
    rule: str
    domain: str
    severity: str
    title: str
    value: float
    threshold: float
    unit_id: int | None
    geom_wkt: str


Rule = Callable[[], list[Firing]]


@dataclass(frozen=True)
class Domain:
    id: str
    title_vi: str
    title_en: str
    layers: tuple[LayerSpec, ...]  # declared here, registered in the layer registry at start-up
    card_layers: tuple[str, ...]  # the layers shown with the card, the domain view and its briefing
    card: Callable[[int | None], CardFigures]  # district id (None: the province) -> figures
    series: SeriesDef
    ranking: RankingDef
    rules: tuple[Rule, ...] = ()
    drill_down: tuple[str, ...] = ("province", "district")  # the levels one can follow a figure down

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_vi

    def layers_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.layers)


# ------------------------------------------------------------------------------ helpers
def read_rows(sql: str, params=()) -> list[tuple]:
    """Rows of a read-only query (dashboards): may come from a replica."""
    with read_connection().cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def read_one(sql: str, params=()):
    rows = read_rows(sql, params)
    return rows[0] if rows else None


def rows(sql: str, params=()) -> list[tuple]:
    """Rows from the primary (alert rules act on what is current)."""
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def pct_change(now, before) -> float | None:
    if now is None or not before:
        return None
    return round(100.0 * (float(now) - float(before)) / float(before), 1)


def month_label(d: date | None) -> str:
    return f"{d:%m/%Y}" if d else "–"


def district_filter(col: str, district: int | None) -> tuple[str, list]:
    """SQL restricting an admin-unit id column to a district (itself or its communes)."""
    if district is None:
        return "", []
    return (f" AND {col} IN (SELECT id FROM layers_adminunit WHERE id = %s OR parent_id = %s)",
            [district, district])


def commune_filter(col: str, district: int | None) -> tuple[str, list]:
    """SQL restricting a commune id column to the communes of a district."""
    if district is None:
        return "", []
    return f" AND {col} IN (SELECT id FROM layers_adminunit WHERE parent_id = %s)", [district]


def monthly_count(table: str, time_col: str, district: int | None, extra: str = "") -> tuple:
    """(count in the latest month, count in the month before, that month, the month before,
    *extra columns) of a table of dated features, restricted to a district's communes."""
    f, p = commune_filter("t.commune_id", district)
    found = read_rows(f"""WITH last AS (SELECT date_trunc('month', max({time_col})) AS m FROM {table})
                 SELECT count(*) FILTER (WHERE t.{time_col} >= last.m),
                        count(*) FILTER (WHERE t.{time_col} >= last.m - interval '1 month' AND t.{time_col} < last.m),
                        last.m::date, (last.m - interval '1 month')::date {extra}
                   FROM {table} t CROSS JOIN last WHERE true{f} GROUP BY last.m""", p)
    return found[0] if found else (0, 0, None, None)


def trend_state(change: float | None, *, red_above: float, amber_above: float = 0) -> str:
    """State of a count where up is bad."""
    if change is None:
        return "grey"
    return "red" if change > red_above else "amber" if change > amber_above else "green"
