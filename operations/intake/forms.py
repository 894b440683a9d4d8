"""What the web entry form needs: the data sets a user may supply with the state of their
recent periods (the intake index), and the grid of units × elements of one period with this
period's and last period's values, each row's status and the problems of a refused save."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count
from django.utils import numberformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gis_server.context import page_language
from gis_server.roles import is_administrator
from layers.models import DataValue, Department, Submission
from operations.dashboard import short_number_text as shown_text
from operations.intake.completeness import due_date
from operations.intake.orgunits import OrgUnit, org_units
from operations.intake.periods import next_period, period_code, period_label, period_start, previous_period
from operations.intake.scopes import grants, require_supplier, suppliable
from operations.intake.spec import DataSet, Element
from operations.intake.validation import RawValue

STATE_LABELS = {
    "empty": gettext_lazy("Chưa nhập"),
    "draft": gettext_lazy("Bản nháp"),
    "partial": gettext_lazy("Đã gửi một phần"),
    "submitted": gettext_lazy("Đã gửi, chờ duyệt"),
    "approved": gettext_lazy("Đã phê duyệt"),
    "overdue": gettext_lazy("Quá hạn"),
}
CADENCES = {
    "weekly": gettext_lazy("Hằng tuần"),
    "monthly": gettext_lazy("Hằng tháng"),
    "quarterly": gettext_lazy("Hằng quý"),
    "school_year": gettext_lazy("Theo năm học"),
    "yearly": gettext_lazy("Hằng năm"),
}
FIELD_SEPARATOR = "|"  # input names: v|<unit code>|<element code>


def _label(state: str) -> str:
    return str(STATE_LABELS[state])


def input_text(value: float | None) -> str:
    """A stored value as it is typed back: 1.250.000 and 92,8 in Vietnamese; 1250000 and 92.8 in
    English, without grouping (a comma there would read as a decimal separator)."""
    if value is None:
        return ""
    v = float(value)
    places = 0 if v.is_integer() else min(len(repr(v).split(".")[-1]), 6)
    if page_language() == "en":
        return f"{v:.{places}f}"
    return numberformat.format(v, ",", places, 3, ".", force_grouping=True)


def element_name(e: Element) -> str:
    return e.name_en if page_language() == "en" else e.name_vi


def element_range(e: Element) -> str:
    """The allowed range in words: "từ 0 đến 500 ca"."""
    unit = f" {e.unit}" if e.unit else ""
    if e.min is not None and e.max is not None:
        return _("từ %(min)s đến %(max)s%(unit)s") % {"min": shown_text(e.min), "max": shown_text(e.max), "unit": unit}
    if e.min is not None:
        return _("từ %(min)s%(unit)s trở lên") % {"min": shown_text(e.min), "unit": unit}
    if e.max is not None:
        return _("đến %(max)s%(unit)s") % {"max": shown_text(e.max), "unit": unit}
    return ""


# ------------------------------------------------------------------------------ the index
@dataclass
class PeriodState:
    period: date
    code: str
    label: str
    due: date
    expected: int
    submitted: int  # submitted or approved
    approved: int
    drafts: int
    state: str
    current: bool

    @property
    def state_label(self) -> str:
        return _label(self.state)


@dataclass
class SuppliedDataSet:
    ds: DataSet
    title: str
    units_label: str
    periods: list[PeriodState]

    @property
    def cadence(self) -> str:
        return str(CADENCES[self.ds.period_type])


def _state(expected: int, submitted: int, approved: int, drafts: int, overdue: bool) -> str:
    if expected and approved == expected:
        return "approved"
    if expected and submitted == expected:
        return "submitted"
    if overdue:
        return "overdue"
    return "draft" if drafts else "partial" if submitted else "empty"


def recent_periods(ds: DataSet, today: date) -> list[date]:
    """The open period, the one being reported now, and the latest one already due (newest first)."""
    current = period_start(ds.period_type, today)
    found = [current, previous_period(ds.period_type, current)]
    while due_date(ds, found[-1]) >= today:
        found.append(previous_period(ds.period_type, found[-1]))
    return found


def _units_label(ds: DataSet) -> str:
    ou = ds.org_units
    if ou.table:
        return ou.label_en if page_language() == "en" and ou.label_en else ou.label_vi or _("cơ sở")
    return {"province": _("tỉnh"), "district": _("huyện, thị xã, thành phố"), "commune": _("xã, phường, thị trấn")}[
        ou.level
    ]


def _districts(user, ds: DataSet) -> frozenset[int] | None:
    if is_administrator(user):
        return None
    return grants(user)[ds.department].districts


def intake_overview(*, user, today: date | None = None) -> list[tuple[str, list[SuppliedDataSet]]]:
    """Per department (by name): the data sets this user may supply, each with its recent
    periods, the user's units reported and expected, and a status word."""
    today = today or timezone.localdate()
    names = dict(Department.objects.values_list("code", "name_en" if page_language() == "en" else "name"))
    groups: dict[str, list[SuppliedDataSet]] = defaultdict(list)
    for ds in suppliable(user):
        units = org_units(ds, _districts(user, ds))
        periods = recent_periods(ds, today)
        counts: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for period, status, n in _count_rows(ds, periods, units):
            counts[period][status] += n
        states = []
        for p in periods:
            c = counts[p]
            submitted = c["submitted"] + c["approved"]
            due = due_date(ds, p)
            state = _state(len(units), submitted, c["approved"], c["draft"], today > due)
            states.append(PeriodState(p, period_code(ds.period_type, p), period_label(ds.period_type, p), due,
                                      len(units), submitted, c["approved"], c["draft"], state, p == periods[0]))
        groups[names.get(ds.department, ds.department)].append(
            SuppliedDataSet(ds, ds.title(page_language()), _units_label(ds), states))
    return sorted(groups.items())


def _count_rows(ds: DataSet, periods: list[date], units: list[OrgUnit]):
    return (Submission.objects.filter(dataset=ds.code, period__in=periods, org_id__in=[u.id for u in units])
            .values_list("period", "status").annotate(n=Count("id")).order_by())


# ------------------------------------------------------------------------------ the grid
@dataclass
class Cell:
    element: Element
    name: str  # the input's name
    label: str  # row and column in words, for error messages
    text: str  # what the input shows: the stored value, or what was typed
    previous: str  # last period's value, as read ("" when none)
    outlier: bool = False  # flagged and not yet confirmed
    errors: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return element_name(self.element)


@dataclass
class Row:
    unit: OrgUnit
    status: str  # empty, draft, submitted, approved
    who: str
    when: datetime | None
    reopened: str  # "by, reason" of the last reopening
    cells: list[Cell]
    errors: list[str] = field(default_factory=list)

    @property
    def locked(self) -> bool:
        return self.status == "approved"

    @property
    def status_label(self) -> str:
        return _label(self.status)


@dataclass
class Column:
    element: Element
    name: str
    unit: str
    range: str


@dataclass
class Grid:
    ds: DataSet
    title: str
    period: date
    code: str
    label: str
    due: date
    previous_code: str
    previous_label: str
    next_code: str  # "" when the next period has not begun
    columns: list[Column]
    rows: list[Row]
    is_head: bool
    is_admin: bool
    errors: list[str] = field(default_factory=list)  # problems not tied to one input

    @property
    def awaiting(self) -> int:
        return sum(r.status == "submitted" for r in self.rows)

    @property
    def editable(self) -> bool:
        return any(not r.locked for r in self.rows)

    @property
    def filled(self) -> int:
        return sum(r.status in ("submitted", "approved") for r in self.rows)


def input_name(unit: OrgUnit, element: Element) -> str:
    return FIELD_SEPARATOR.join(("v", unit.code, element.code))


def _cell_label(unit: OrgUnit) -> str:
    return f"{unit.name} ({unit.code})"


def _values(ds: DataSet, period: date, units: list[OrgUnit]) -> dict[int, dict[str, DataValue]]:
    out: dict[int, dict[str, DataValue]] = defaultdict(dict)
    for v in DataValue.objects.filter(submission__dataset=ds.code, submission__period=period,
                                      submission__org_id__in=[u.id for u in units]).select_related("submission"):
        out[v.submission.org_id][v.element] = v
    return out


def _who(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _row(ds: DataSet, unit: OrgUnit, sub: Submission | None, now: dict, before: dict, typed: dict) -> Row:
    status, who, when, reopened = "empty", "", None, ""
    if sub is not None:
        status = sub.status
        if sub.status == Submission.Status.APPROVED:
            who, when = _who(sub.approved_by), sub.approved_at
        elif sub.status == Submission.Status.SUBMITTED:
            who, when = _who(sub.submitted_by), sub.submitted_at
        else:
            last = max(now.values(), key=lambda v: v.entered_at, default=None)
            who, when = (_who(last.entered_by), last.entered_at) if last else ("", sub.updated_at)
        if sub.reopened_at and sub.status != Submission.Status.APPROVED:
            reopened = _("mở lại bởi %(who)s: %(reason)s") % {"who": _who(sub.reopened_by), "reason": sub.reopen_reason}
    cells = []
    for e in ds.elements:
        name = input_name(unit, e)
        v, b = now.get(e.code), before.get(e.code)
        text = typed[name] if name in typed else input_text(v.value if v else None)
        cells.append(Cell(e, name, _cell_label(unit), text, shown_text(b.value) if b else "",
                          outlier=bool(v and v.outlier and not v.outlier_confirmed)))
    return Row(unit, status, who, when, reopened, cells)


def entry_grid(*, ds: DataSet, period: date, user, typed: dict | None = None, errors: list[dict] | None = None,
               today: date | None = None) -> Grid:
    """The user's units × the data set's elements for `period`, with last period's values; what
    was typed and the problems of a refused save go beside their inputs."""
    districts = require_supplier(user, ds)
    today = today or timezone.localdate()
    kind = ds.period_type
    units = org_units(ds, districts)
    before_period, after_period = previous_period(kind, period), next_period(kind, period)
    subs = {s.org_id: s for s in Submission.objects.filter(dataset=ds.code, period=period, org_id__in=[u.id for u in units])
            .select_related("submitted_by", "approved_by", "reopened_by")}
    now = _values(ds, period, units)
    before = _values(ds, before_period, units)
    rows = [_row(ds, u, subs.get(u.id), now.get(u.id, {}), before.get(u.id, {}), typed or {}) for u in units]
    grid = Grid(
        ds=ds, title=ds.title(page_language()), period=period, code=period_code(kind, period),
        label=period_label(kind, period), due=due_date(ds, period), previous_code=period_code(kind, before_period),
        previous_label=period_label(kind, before_period),
        next_code=period_code(kind, after_period) if after_period <= period_start(kind, today) else "",
        columns=[Column(e, element_name(e), e.unit, element_range(e)) for e in ds.elements],
        rows=rows, is_head=_is_head(user, ds), is_admin=is_administrator(user),
    )
    _place_errors(grid, errors or [])
    return grid


def _is_head(user, ds: DataSet) -> bool:
    return is_administrator(user) or grants(user).get(ds.department) is not None and grants(user)[ds.department].head


def _place_errors(grid: Grid, errors: list[dict]) -> None:
    """Each problem beside its input (or its row, or above the grid)."""
    rows = {r.unit.code: r for r in grid.rows}
    for err in errors:
        message = str(err.get("message", ""))
        row = rows.get(str(err.get("unit", "")))
        cells = {c.element.code: c for c in row.cells} if row else {}
        cell = cells.get(str(err.get("element", "")))
        if cell is not None:
            prefix = f"{err.get('cell') or ''}: "
            cell.errors.append(message.removeprefix(prefix) if err.get("cell") else message)
        elif row is not None:
            row.errors.append(message.split(": ", 1)[-1])
        else:
            grid.errors.append(message)


def raws_from_form(*, ds: DataSet, period: date, user, data) -> tuple[list[RawValue], dict[str, str]]:
    """The grid's inputs as values to store (the empty ones left out, approved rows too) and
    what was typed in each, to show it again if the save is refused."""
    districts = require_supplier(user, ds)
    units = org_units(ds, districts)
    locked = set(Submission.objects.filter(dataset=ds.code, period=period, status=Submission.Status.APPROVED,
                                           org_id__in=[u.id for u in units]).values_list("org_id", flat=True))
    raws, typed = [], {}
    for unit in units:
        if unit.id in locked:
            continue
        for e in ds.elements:
            name = input_name(unit, e)
            text = (data.get(name) or "").strip()
            if name in data:
                typed[name] = text
            if text:
                raws.append(RawValue(unit.code, e.code, text, period, _cell_label(unit)))
    return raws, typed


def grid_link(ds: DataSet, period: date) -> str:
    return f"/intake/{ds.code}/{period_code(ds.period_type, period)}/"
