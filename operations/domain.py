"""What a monitoring domain declares, and the small helpers its declarations share.

A domain module (`operations/domains/<id>.py`) builds one `Domain`: its layers, the figures
of its card, its time series, its ranking of units with the drill-down below it, and its alert
rules with their thresholds. Adding an indicator to a domain touches that module only (and,
when it needs new data, a model and the demo)."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gis_server.db import read_connection
from layers.registry import LayerSpec

# ------------------------------------------------------------------------------ figures
STATES = ("grey", "green", "amber", "red")  # in order of gravity


def worse(a: str, b: str) -> str:
    """The graver of two states."""
    return a if STATES.index(a) >= STATES.index(b) else b


@dataclass
class Figure:
    """One key figure: its value with unit and period; its own state when it has thresholds, its
    own change when it is compared with something, and whether its period is not over yet."""

    label: str
    value: float | int | None
    unit: str
    period: str
    state: str = ""
    change_pct: float | None = None
    change_vs: str = ""
    partial: bool = False
    text: str = ""  # the value formatted for the page's language (set by operations.dashboard)
    change_text: str = ""  # the change so formatted ("+12,5 %")
    state_label: str = ""  # the state in words


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
    state: str  # green / amber / red / grey: the figures' state, made graver by the open alerts
    layers: list[str] = field(default_factory=list)
    state_label: str = ""  # the state in words ("Tốt", "Cần chú ý", "Nghiêm trọng"): never by colour alone
    alerts_critical: int = 0  # the domain's open alerts (of the unit, when the card is a unit's)
    alerts_warning: int = 0
    url: str = ""  # the domain view (or the unit page) the card opens
    change_text: str = ""  # change_pct formatted for the page's language


@dataclass(frozen=True)
class SeriesDef:
    """SQL of (period, value) rows in time order, with the district placeholders of
    `operations.dashboard`; its label and unit; `period` is "month" or "year" (school years)."""

    sql: str
    label: str
    unit: str
    period: str = "month"
    unit_sql: str = ""  # the series of one unit (%(d)s), where the province's is not a plain sum

@dataclass(frozen=True)
class RankingDef:
    """SQL of (id, code, name, value) rows, worst first; label, unit, and the page a row
    opens (a URL with {code} and/or {id}), if any."""

    sql: str
    label: str
    unit: str
    drill_url: str = ""


@dataclass(frozen=True)
class Column:
    """A column of a drill-down table: label, unit, kind (text, number, pct, date, datetime) and,
    for coded values, the words to show instead of the codes."""

    label: str
    unit: str = ""
    kind: str = "text"
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RecordsDef:
    """The records behind a domain's figures in one unit: SQL of (total, feature id, *columns)
    rows, best sorted first, with %(u)s the unit's id (see UNIT_IDS) and %(n)s the row limit;
    the layer each row opens on the map."""

    title: str
    sql: str
    columns: tuple[Column, ...]
    layer: str = ""


# the ids of a unit and of its communes (a district's), for "<column> IN {UNIT_IDS}" with %(u)s bound
UNIT_IDS = "(SELECT id FROM layers_adminunit WHERE id = %(u)s OR parent_id = %(u)s)"


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
    records: tuple[RecordsDef, ...] = ()  # the features or records behind the figures, per unit
    map_filters: tuple[tuple[str, str, str], ...] = ()  # (layer, property, value): what the domain map draws
    datasets: tuple = ()  # operations.intake.spec.DataSet: what departments supply for this domain

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


def today() -> date:
    return timezone.localdate()


def is_partial_month(m: date | None, through: date | None = None) -> bool:
    """Whether a month is not over: the current month, unless its data already reach its last day."""
    if m is None:
        return False
    t = today()
    if (m.year, m.month) != (t.year, t.month):
        return False
    return through is None or through < date(m.year, m.month, monthrange(m.year, m.month)[1])


def month_period(m: date | None, through: date | None = None) -> tuple[str, bool]:
    """("tháng 12/2026", False), or ("tháng 12/2026, đến ngày 02", True) for a month not over."""
    if m is None:
        return "–", False
    if is_partial_month(m, through):
        day = (through or today()).day
        return str(_("tháng %(month)s, đến ngày %(day)02d") % {"month": month_label(m), "day": day}), True
    return str(_("tháng %(month)s") % {"month": month_label(m)}), False


def week_period(w: date | None, through: date | None = None) -> tuple[str, bool]:
    """The week starting on Monday w, labelled partial when it is not over."""
    if w is None:
        return "–", False
    end = w + timedelta(days=6)
    t = through or today()
    if w <= today() <= end and t < end:
        return str(_("tuần từ %(start)s, đến ngày %(day)s") % {"start": f"{w:%d/%m/%Y}", "day": f"{t:%d/%m}"}), True
    return str(_("tuần %(start)s–%(end)s") % {"start": f"{w:%d/%m}", "end": f"{end:%d/%m/%Y}"}), False


def district_filter(col: str, district: int | None) -> tuple[str, list]:
    """SQL restricting an admin-unit id column to a unit (itself or its communes, for a district)."""
    if district is None:
        return "", []
    return (f" AND {col} IN (SELECT id FROM layers_adminunit WHERE id = %s OR parent_id = %s)",
            [district, district])


def commune_filter(col: str, unit: int | None) -> tuple[str, list]:
    """SQL restricting a commune id column to a unit: a district's communes, or one commune."""
    if unit is None:
        return "", []
    return f" AND {col} IN (SELECT id FROM layers_adminunit WHERE %s IN (id, parent_id))", [unit]


def month_to_date(table: str, time_col: str, unit: int | None, extra: str = "", where: str = "",
                  unit_col: str = "t.commune_id") -> tuple:
    """(count in the latest month, count in the month before over the same days when the latest is
    not over, that month, the last day with data, *extra columns) of a table `t` of dated rows,
    restricted to a unit (a district's communes, or one commune)."""
    f, p = commune_filter(unit_col, unit)
    found = read_rows(f"""
        WITH last AS (SELECT date_trunc('month', max({time_col})) AS m, max({time_col}) AS t FROM {table}),
             w AS (SELECT m, t, CASE WHEN m = date_trunc('month', %s::date)
                                     THEN least(m, m - interval '1 month' + (t::date - m::date + 1) * interval '1 day')
                                     ELSE m END AS prev_end FROM last)
        SELECT count(t.{time_col}) FILTER (WHERE t.{time_col} >= w.m),
               count(t.{time_col}) FILTER (WHERE t.{time_col} >= w.m - interval '1 month' AND t.{time_col} < w.prev_end),
               w.m::date, w.t::date {extra}
          FROM w LEFT JOIN {table} t ON t.{time_col} >= w.m - interval '1 month'{where}{f}
         GROUP BY w.m, w.t, w.prev_end""", [today(), *p])
    return found[0]  # one row, even when the unit has none (counts 0, extra columns NULL)


def month_so_far(table: str, time_col: str, unit: int | None, *, label: str, unit_name: str,
                 unit_col: str = "t.commune_id") -> Figure:
    """The latest month's count of a table of dated rows as a figure: labelled partial while the
    month is not over, and then compared with the same days of the month before."""
    count, before, m, through = month_to_date(table, time_col, unit, unit_col=unit_col)
    period, partial = month_period(m, through)
    return Figure(label, count, unit_name, period, partial=partial, change_pct=pct_change(count, before),
                  change_vs=str(_("cùng kỳ tháng trước")) if partial else str(_("tháng trước")))


def complete_month(table: str, time_col: str, unit: int | None, extra: str = "") -> tuple:
    """(count in the latest complete month, count in the month before, that month, *extra columns
    over that month) of a table `t` of dated rows in a unit: the month not over yet is left out."""
    f, p = commune_filter("t.commune_id", unit)
    return read_rows(f"""
        WITH last AS (SELECT date_trunc('month', max({time_col})) AS m FROM {table}),
             w AS (SELECT CASE WHEN m = date_trunc('month', %s::date) THEN m - interval '1 month' ELSE m END AS m
                     FROM last)
        SELECT count(t.{time_col}) FILTER (WHERE t.{time_col} >= w.m), count(t.{time_col}) FILTER (WHERE t.{time_col} < w.m),
               w.m::date {extra}
          FROM w LEFT JOIN {table} t ON t.{time_col} >= w.m - interval '1 month'
                                    AND t.{time_col} < w.m + interval '1 month'{f}
         GROUP BY w.m""", [today(), *p])[0]


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


def level_state(value: float | None, *, green_from: float, amber_from: float, digits: int = 1) -> str:
    """State of a rate where up is good, judged on the value as shown (98 % shown is 98 %)."""
    if value is None:
        return "grey"
    v = round(float(value), digits)
    return "green" if v >= green_from else "amber" if v >= amber_from else "red"


def indicator_state(value: float | None, *, warning: float, critical: float, higher_is_better: bool,
                    digits: int = 1) -> str:
    """An indicator's red/amber/green from its own thresholds (amber at or beyond warning, red at
    or beyond critical), judged on the value as shown."""
    if value is None:
        return "grey"
    v = round(float(value), digits)
    if higher_is_better:
        return "red" if v <= critical else "amber" if v <= warning else "green"
    return "red" if v >= critical else "amber" if v >= warning else "green"
