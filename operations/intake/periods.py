"""Reporting periods: weekly (ISO weeks), monthly, quarterly, school year (from 1 September)
and yearly. A period is its first day; its code is what templates and the API carry."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.utils.translation import gettext as _

from gis_server.errors import BadRequest

PERIOD_TYPES = ("weekly", "monthly", "quarterly", "school_year", "yearly")
SCHOOL_YEAR_MONTH = 9


def period_start(kind: str, day: date) -> date:
    """The first day of the period of this kind that contains `day`."""
    if kind == "weekly":
        return day - timedelta(days=day.weekday())
    if kind == "monthly":
        return day.replace(day=1)
    if kind == "quarterly":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if kind == "school_year":
        return date(day.year if day.month >= SCHOOL_YEAR_MONTH else day.year - 1, SCHOOL_YEAR_MONTH, 1)
    return date(day.year, 1, 1)


def period_end(kind: str, start: date) -> date:
    """The last day of the period starting on `start`."""
    return next_period(kind, start) - timedelta(days=1)


def next_period(kind: str, start: date) -> date:
    if kind == "weekly":
        return start + timedelta(days=7)
    months = {"monthly": 1, "quarterly": 3}.get(kind, 12)
    m = start.month - 1 + months
    return date(start.year + m // 12, m % 12 + 1, 1)


def previous_period(kind: str, start: date) -> date:
    return period_start(kind, start - timedelta(days=1))


def periods_back(kind: str, last: date, n: int) -> list[date]:
    """The n periods ending with `last`, oldest first."""
    out = [last]
    while len(out) < n:
        out.append(previous_period(kind, out[-1]))
    return out[::-1]


def period_code(kind: str, start: date) -> str:
    if kind == "weekly":
        y, w, _d = start.isocalendar()
        return f"{y}W{w:02d}"
    if kind == "monthly":
        return f"{start:%Y-%m}"
    if kind == "quarterly":
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    if kind == "school_year":
        return f"{start.year}-{start.year + 1}"
    return f"{start.year}"


def period_label(kind: str, start: date) -> str:
    """The period in Vietnamese (or the page's language): "tuần 47/2026 (16/11–22/11/2026)"."""
    if kind == "weekly":
        y, w, _d = start.isocalendar()
        end = start + timedelta(days=6)
        return _("tuần %(week)s/%(year)s (%(start)s–%(end)s)") % {
            "week": w,
            "year": y,
            "start": f"{start:%d/%m}",
            "end": f"{end:%d/%m/%Y}",
        }
    if kind == "monthly":
        return _("tháng %(month)s") % {"month": f"{start:%m/%Y}"}
    if kind == "quarterly":
        return _("quý %(q)s/%(year)s") % {"q": ("I", "II", "III", "IV")[(start.month - 1) // 3], "year": start.year}
    if kind == "school_year":
        return _("năm học %(a)s–%(b)s") % {"a": start.year, "b": start.year + 1}
    return _("năm %(year)s") % {"year": start.year}


_PATTERNS = {
    "weekly": re.compile(r"^(\d{4})-?W(\d{1,2})$", re.I),
    "monthly": re.compile(r"^(\d{4})-?(\d{2})$"),
    "quarterly": re.compile(r"^(\d{4})-?Q([1-4])$", re.I),
    "school_year": re.compile(r"^(\d{4})(?:[-–/](\d{4}))?$"),
    "yearly": re.compile(r"^(\d{4})$"),
}


def parse_period(kind: str, text: str) -> date:
    """A period code ("2026W47", "2026-11", "2026Q4", "2025-2026", "2026") or a date within
    the period ("2026-11-18", "18/11/2026") as the period's first day; BadRequest otherwise."""
    text = (text or "").strip()
    m = _PATTERNS[kind].match(text)
    try:
        if m and kind == "weekly":
            return date.fromisocalendar(int(m[1]), int(m[2]), 1)
        if m and kind == "monthly":
            return date(int(m[1]), int(m[2]), 1)
        if m and kind == "quarterly":
            return date(int(m[1]), 3 * (int(m[2]) - 1) + 1, 1)
        if m and kind == "school_year" and (m[2] is None or int(m[2]) == int(m[1]) + 1):
            return date(int(m[1]), SCHOOL_YEAR_MONTH, 1)
        if m and kind == "yearly":
            return date(int(m[1]), 1, 1)
        d = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", text)
        day = date(int(d[3]), int(d[2]), int(d[1])) if d else date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None:
        raise BadRequest(
            _("Kỳ báo cáo “%(text)s” không hợp lệ; ví dụ: %(example)s.")
            % {"text": text, "example": period_code(kind, period_start(kind, date.today()))}
        )
    return period_start(kind, day)
