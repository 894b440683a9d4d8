"""How a data set is declared (beside its domain's layers in operations/domains/*.py): its
department, elements, organisation units, period type and due day, cross-element rules,
and where approved values land (the tables behind the domain's time-enabled layers).

A new data set for an existing kind of table is a declaration, not new code."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured

from operations.intake.periods import PERIOD_TYPES

VALUE_TYPES = ("integer", "number", "percent")
ADMIN_LEVELS = ("province", "district", "commune")


@dataclass(frozen=True)
class Raw:
    """An SQL expression as a key or default of a sink (e.g. an indicator's id by its code)."""

    sql: str


@dataclass(frozen=True)
class Sink:
    """Where an element's value is published: `column` of the row of `table` keyed by the unit
    column, the period column and the fixed `keys`. Elements with the same table and keys share a
    row. `defaults` fill a new row's other required columns (SQL over v.unit and v.period)."""

    table: str
    column: str
    unit_column: str
    period_column: str
    keys: tuple[tuple[str, str | Raw], ...] = ()
    defaults: tuple[tuple[str, str], ...] = ()
    period_as_year: bool = False  # the table keeps a year number rather than a date

    @property
    def row(self) -> tuple:
        return (self.table, self.unit_column, self.period_column, self.keys, self.defaults, self.period_as_year)


def indicator_sink(code: str, column: str = "value") -> Sink:
    """An indicator's value (or plan) per admin unit and period (layers_indicatorvalue)."""
    return Sink(
        "layers_indicatorvalue",
        column,
        "unit_id",
        "period",
        keys=(("indicator_id", Raw(f"(SELECT id FROM layers_indicator WHERE code = '{code}')")),),
    )


@dataclass(frozen=True)
class Element:
    code: str
    name_vi: str
    name_en: str
    value_type: str = "integer"  # integer, number, percent
    unit: str = ""
    min: float | None = 0
    max: float | None = None
    required: bool = True
    sink: Sink | None = None


@dataclass(frozen=True)
class Rule:
    """A cross-element rule: left ≤ right (kind "le"), or left / right within [low, high]
    (kind "ratio"). Checked when both values are present."""

    kind: str
    left: str
    right: str
    message_vi: str
    message_en: str
    low: float | None = None
    high: float | None = None

    @classmethod
    def le(cls, left: str, right: str, message_vi: str, message_en: str) -> Rule:
        return cls("le", left, right, message_vi, message_en)

    @classmethod
    def ratio(cls, left: str, right: str, low: float, high: float, message_vi: str, message_en: str) -> Rule:
        return cls("ratio", left, right, message_vi, message_en, low, high)


@dataclass(frozen=True)
class OrgUnits:
    """What a data set is reported for: admin units of a level, or facilities of a layer's
    table (code = prefix + id, district through the facility's commune)."""

    level: str = ""  # province, district, commune
    table: str = ""  # a facility table, e.g. layers_school
    prefix: str = ""
    where: str = ""  # SQL on the facility table's alias f
    label_vi: str = ""
    label_en: str = ""


@dataclass(frozen=True)
class DataSet:
    code: str
    title_vi: str
    title_en: str
    department: str  # a Department's code
    period_type: str
    org_units: OrgUnits
    elements: tuple[Element, ...]
    due_days: int = 5  # days after the period's end
    rules: tuple[Rule, ...] = ()
    layers: tuple[str, ...] = ()  # the layers its values feed (the supply board counts the data set instead)
    domain: str = ""
    outlier_periods: int = 12
    element_by_code: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "element_by_code", {e.code: e for e in self.elements})
        self.check()

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_vi

    def check(self) -> None:
        """A bad declaration fails at start-up, naming what is wrong."""
        where = f"data set {self.code!r}"
        if self.period_type not in PERIOD_TYPES:
            raise ImproperlyConfigured(f"{where}: period type {self.period_type!r} not in {PERIOD_TYPES}")
        if bool(self.org_units.level) == bool(self.org_units.table):
            raise ImproperlyConfigured(f"{where}: org units need either a level or a facility table")
        if self.org_units.level and self.org_units.level not in ADMIN_LEVELS:
            raise ImproperlyConfigured(f"{where}: level {self.org_units.level!r} not in {ADMIN_LEVELS}")
        if len(self.element_by_code) != len(self.elements) or not self.elements:
            raise ImproperlyConfigured(f"{where}: element codes must be present and unique")
        for e in self.elements:
            if e.value_type not in VALUE_TYPES:
                raise ImproperlyConfigured(f"{where}: element {e.code!r} has value type {e.value_type!r}")
        for r in self.rules:
            if (
                r.left not in self.element_by_code
                or r.right not in self.element_by_code
                or r.kind not in ("le", "ratio")
            ):
                raise ImproperlyConfigured(f"{where}: rule {r.kind} {r.left} {r.right} names an unknown element")
