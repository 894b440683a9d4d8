"""One validation for every channel (entry form, spreadsheet, push API): the unit, the
element, the type and range of each value, required elements, the data set's cross-element
rules, and outliers against the unit's own history (flagged for confirmation, not refused)."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from gis_server.context import page_language
from operations.dashboard import short_number_text
from operations.intake.orgunits import OrgUnit, normalise_code
from operations.intake.periods import period_code, period_label, period_start, periods_back, previous_period
from operations.intake.spec import DataSet, Element

OUTLIER_IQR = 3.0  # beyond the quartiles by this many inter-quartile ranges
OUTLIER_MIN_HISTORY = 4


@dataclass
class RawValue:
    """A value as it arrived: a unit code, an element code, the text or number, and where it
    sat (a cell such as "B14", or an index in a JSON array)."""

    unit: str
    element: str
    value: object
    period: date
    cell: str = ""


@dataclass
class Checked:
    org: OrgUnit
    element: Element
    value: float
    period: date
    cell: str = ""
    outlier: bool = False


@dataclass
class Report:
    values: list[Checked] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)  # outliers: stored, flagged for confirmation
    refused: set = field(default_factory=set)  # (unit code, period, element) of values refused one by one
    bad_reports: set = field(default_factory=set)  # (org id, period) of reports with an error

    @property
    def ok(self) -> bool:
        return not self.errors


_VI_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_EN_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_number(value) -> float | None:
    """A number as typed by a Vietnamese officer or sent by a system: 1.250.000 and 92,8 as well
    as 1250000 and 92.8; None for an empty cell; ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(value)
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if not text:
        return None
    if _VI_GROUPED.match(text):
        text = text.replace(".", "").replace(",", ".")
    elif _EN_GROUPED.match(text) and "." in text:
        text = text.replace(",", "")
    elif "," in text and "." not in text:
        text = text.replace(",", ".")
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


_shown = short_number_text  # a value in a message, as the officer would write it


def _issue(raw: RawValue | None, where: str, code: str, message: str, ds: DataSet, **extra) -> dict:
    prefix = raw.cell if raw is not None and raw.cell else where
    out = {"code": code, "message": f"{prefix}: {message}" if prefix else message}
    if raw is not None:
        out.update(
            {
                "cell": raw.cell,
                "unit": str(raw.unit),
                "element": str(raw.element),
                "period": period_code(ds.period_type, raw.period),
                "value": raw.value if isinstance(raw.value, int | float | str | type(None)) else str(raw.value),
            }
        )
    out.update(extra)
    return out


def _check_one(
    ds: DataSet, raw: RawValue, units: dict[str, OrgUnit], allowed: dict[str, OrgUnit]
) -> Checked | dict | None:
    lang = page_language()
    where = f"{raw.unit} / {raw.element}"
    code = normalise_code(ds, raw.unit)
    org = allowed.get(code)
    if org is None:
        if code in units:
            return _issue(
                raw,
                where,
                "unit_out_of_scope",
                _("đơn vị %(unit)s nằm ngoài phạm vi được giao của bạn") % {"unit": code},
                ds,
            )
        return _issue(
            raw, where, "unknown_unit", _("không có đơn vị mã “%(unit)s” trong bộ dữ liệu này") % {"unit": raw.unit}, ds
        )
    element = ds.element_by_code.get(str(raw.element).strip())
    if element is None:
        return _issue(
            raw,
            where,
            "unknown_element",
            _("không có chỉ tiêu mã “%(element)s” trong bộ dữ liệu này") % {"element": raw.element},
            ds,
        )
    if raw.period > period_start(ds.period_type, timezone.localdate()):
        return _issue(raw, where, "future_period", _("kỳ %(period)s chưa bắt đầu") % {
            "period": period_label(ds.period_type, raw.period)}, ds)
    name = element.name_en if lang == "en" else element.name_vi
    try:
        number = parse_number(raw.value)
    except (ValueError, TypeError, OverflowError):
        return _issue(
            raw,
            where,
            "not_a_number",
            _("“%(value)s” không phải là số (cho “%(name)s”)") % {"value": raw.value, "name": name},
            ds,
        )
    if number is None:
        return None
    if element.value_type == "integer" and not number.is_integer():
        return _issue(
            raw,
            where,
            "not_an_integer",
            _("%(value)s không phải là số nguyên (cho “%(name)s”)") % {"value": _shown(number), "name": name},
            ds,
        )
    if element.max is not None and number > element.max:
        return _issue(
            raw,
            where,
            "above_max",
            _("%(value)s vượt mức tối đa %(max)s cho “%(name)s”")
            % {"value": _shown(number), "max": _shown(element.max), "name": name},
            ds,
        )
    if element.min is not None and number < element.min:
        return _issue(
            raw,
            where,
            "below_min",
            _("%(value)s thấp hơn mức tối thiểu %(min)s cho “%(name)s”")
            % {"value": _shown(number), "min": _shown(element.min), "name": name},
            ds,
        )
    return Checked(org, element, number, raw.period, raw.cell)


def validate(
    ds: DataSet,
    raws: list[RawValue],
    *,
    units: list[OrgUnit],
    allowed: list[OrgUnit],
    stored: dict[tuple[int, date], dict[str, float]],
    submit: bool,
) -> Report:
    """Check every value (all errors, not the first); `stored` holds the values already kept
    for the same units and periods, so rules and required elements see the whole report."""
    report = Report()
    by_code = {u.code: u for u in units}
    allowed_by_code = {u.code: u for u in allowed}
    seen: dict[tuple[int, date, str], str] = {}
    for raw in raws:
        got = _check_one(ds, raw, by_code, allowed_by_code)
        if isinstance(got, dict):
            report.errors.append(got)
            report.refused.add((normalise_code(ds, raw.unit), raw.period, str(raw.element).strip()))
        elif got is not None:
            key = (got.org.id, got.period, got.element.code)
            if key in seen:
                report.errors.append(
                    _issue(
                        raw, "", "duplicate", _("giá trị lặp lại (đã có ở %(cell)s)") % {"cell": seen[key] or "—"}, ds
                    )
                )
                continue
            seen[key] = raw.cell
            report.values.append(got)
    _check_reports(ds, report, stored, submit)
    report.bad_reports |= {(c.org.id, c.period) for c in report.values
                           if any((c.org.code, c.period, e.code) in report.refused for e in ds.elements)}
    _flag_outliers(ds, report)
    return report


def _check_reports(ds: DataSet, report: Report, stored: dict, submit: bool) -> None:
    """Cross-element rules and (when submitting) required elements, per unit and period."""
    lang = page_language()
    groups: dict[tuple[int, date], list[Checked]] = defaultdict(list)
    for c in report.values:
        groups[(c.org.id, c.period)].append(c)
    for (org_id, period), checked in groups.items():
        values = dict(stored.get((org_id, period), {}))
        values.update({c.element.code: c.value for c in checked})
        cells = {c.element.code: c for c in checked}
        org = checked[0].org
        where = f"{org.code} ({org.name}), {period_code(ds.period_type, period)}"
        for rule in ds.rules:
            left, right = values.get(rule.left), values.get(rule.right)
            if left is None or right is None:
                continue
            broken = left > right if rule.kind == "le" else (right == 0 or not (rule.low <= left / right <= rule.high))
            if broken:
                report.bad_reports.add((org_id, period))
                anchor = cells.get(rule.left) or cells.get(rule.right)
                text = rule.message_en if lang == "en" else rule.message_vi
                report.errors.append(
                    {
                        "code": "rule",
                        "rule": f"{rule.kind}:{rule.left}:{rule.right}",
                        "unit": org.code,
                        "element": rule.left,
                        "cell": anchor.cell if anchor else "",
                        "period": period_code(ds.period_type, period),
                        "message": f"{anchor.cell if anchor and anchor.cell else where}: {text} "
                        f"({_shown(left)} / {_shown(right)})",
                    }
                )
        if submit:
            missing = [e for e in ds.elements if e.required and values.get(e.code) is None
                       and (org.code, period, e.code) not in report.refused]  # a refused value is named already
            if missing:
                report.bad_reports.add((org_id, period))
                names = ", ".join(f"“{e.name_en if lang == 'en' else e.name_vi}”" for e in missing)
                report.errors.append(
                    {
                        "code": "missing_required",
                        "unit": org.code,
                        "element": ",".join(e.code for e in missing),
                        "cell": "",
                        "period": period_code(ds.period_type, period),
                        "message": f"{where}: " + _("còn thiếu %(names)s") % {"names": names},
                    }
                )


def _flag_outliers(ds: DataSet, report: Report) -> None:
    """Values far outside the unit's own last periods: kept, flagged for confirmation."""
    if not report.values:
        return
    lang = page_language()
    periods = sorted({c.period for c in report.values})
    start = periods_back(ds.period_type, previous_period(ds.period_type, periods[0]), ds.outlier_periods)[0]
    with connection.cursor() as cur:
        cur.execute(
            """SELECT s.org_id, v.element, count(*),
                              percentile_cont(0.25) WITHIN GROUP (ORDER BY v.value),
                              percentile_cont(0.75) WITHIN GROUP (ORDER BY v.value)
                         FROM layers_datavalue v JOIN layers_submission s ON s.id = v.submission_id
                        WHERE s.dataset = %s AND s.status IN ('submitted', 'approved')
                          AND s.period >= %s AND s.period < %s AND s.org_id = ANY(%s)
                        GROUP BY s.org_id, v.element""",
            [ds.code, start, periods[-1], list({c.org.id for c in report.values})],
        )
        history = {(o, e): (n, q1, q3) for o, e, n, q1, q3 in cur.fetchall()}
    for c in report.values:
        n, q1, q3 = history.get((c.org.id, c.element.code), (0, 0.0, 0.0))
        if n < OUTLIER_MIN_HISTORY:
            continue
        spread = max(q3 - q1, 0.25 * abs(q3), 2.0)  # small counts (0-2 cases a week) may vary by a few
        if c.value > q3 + OUTLIER_IQR * spread or c.value < q1 - OUTLIER_IQR * spread:
            c.outlier = True
            name = c.element.name_en if lang == "en" else c.element.name_vi
            report.warnings.append(
                {
                    "code": "outlier",
                    "unit": c.org.code,
                    "element": c.element.code,
                    "cell": c.cell,
                    "period": period_code(ds.period_type, c.period),
                    "value": c.value,
                    "message": f"{c.cell or c.org.code}: "
                    + _(
                        "%(value)s khác thường so với các kỳ trước của đơn vị (%(low)s–%(high)s) cho “%(name)s”; "
                        "hãy xác nhận"
                    )
                    % {"value": _shown(c.value), "low": _shown(q1), "high": _shown(q3), "name": name},
                }
            )
