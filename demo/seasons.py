"""The demo's calendar: its period, Tết, seasonal profiles and seeded event times.

Event feeds (accidents, incidents, dossiers, citizen reports, cyber, media) run up to
yesterday, so the current month is visibly partial but never a collapse: its days hold as
much as any other day. Monthly reports (indicators, tourism, facility activity) end with the
last complete month, weekly ones with the last complete week."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np

# Lunar New Year (Tết Nguyên Đán), the year's biggest swing in travel, trade and road traffic.
TET = {2020: date(2020, 1, 25), 2021: date(2021, 2, 12), 2022: date(2022, 2, 1), 2023: date(2023, 1, 22),
       2024: date(2024, 2, 10), 2025: date(2025, 1, 29), 2026: date(2026, 2, 17), 2027: date(2027, 2, 6),
       2028: date(2028, 1, 26), 2029: date(2029, 2, 13), 2030: date(2030, 2, 3), 2031: date(2031, 1, 23),
       2032: date(2032, 2, 11)}
IOC_START = date(2021, 6, 1)  # the IOC's first day: cumulative figures (threats handled) count from here


def months_before(end: date, n: int = 24) -> list[date]:
    """The first days of the n complete months before the month of `end`, oldest first."""
    y, m, out = end.year, end.month, []
    for _ in range(n):
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
        out.append(date(y, m, 1))
    return out[::-1]


def period_start(end: date) -> date:
    """First day of the demo's 24 months (event feeds start here)."""
    return months_before(end)[0]


def last_full_week(today: date) -> date:
    """Monday of the last complete ISO week before today."""
    return today - timedelta(days=today.weekday() + 7)


def tet_of(year: int) -> date:
    return TET.get(year, date(year, 2, 1))


def days_from_tet(days: np.ndarray) -> np.ndarray:
    """Signed days from the nearest Tết for datetime64[D] days."""
    years = days.astype("datetime64[Y]").astype(int) + 1970
    out = np.full(days.shape, 10_000, dtype=np.int64)
    for dy in (-1, 0, 1):
        tet = np.array([np.datetime64(tet_of(int(y) + dy)) for y in years]) if len(days) else days
        d = (days - tet).astype(np.int64)
        out = np.where(np.abs(d) < np.abs(out), d, out)
    return out


def day_range(start: date, stop: date) -> np.ndarray:
    """Days from start up to (not including) stop, as datetime64[D]."""
    return np.arange(np.datetime64(start), np.datetime64(stop), dtype="datetime64[D]")


def month_index(days: np.ndarray) -> np.ndarray:
    """Calendar month 0..11 of datetime64[D] days."""
    return days.astype("datetime64[M]").astype(int) % 12


def years_since(days: np.ndarray, origin: date) -> np.ndarray:
    return (days - np.datetime64(origin)).astype(np.int64) / 365.25


def daily_factors(days: np.ndarray, *, month: tuple[float, ...] = (1.0,) * 12, weekend: float = 1.0,
                  tet: float = 1.0, tet_window: tuple[int, int] = (-3, 6), holiday: float = 1.0,
                  growth: float = 0.0, origin: date | None = None) -> np.ndarray:
    """A rate multiplier per day: a monthly profile, weekends, the Tết window (days around Tết),
    the 30/4-1/5 and 2/9 holidays, and a yearly growth rate from `origin`."""
    f = np.asarray(month, dtype=float)[month_index(days)]
    dow = (days.astype("datetime64[D]").astype(np.int64) + 3) % 7  # 0 = Monday
    f = f * np.where(dow >= 5, weekend, 1.0)
    dt = days_from_tet(days)
    f = f * np.where((dt >= tet_window[0]) & (dt <= tet_window[1]), tet, 1.0)
    md = (days.astype("datetime64[M]").astype(int) % 12 + 1) * 100 + \
        (days - days.astype("datetime64[M]").astype("datetime64[D]")).astype(int) + 1
    hol = ((md >= 428) & (md <= 503)) | ((md >= 831) & (md <= 903))
    f = f * np.where(hol, holiday, 1.0)
    if growth:
        f = f * (1.0 + growth) ** years_since(days, origin or date.fromisoformat(str(days[0])))
    return f


UTC_OFFSET = np.timedelta64(7, "h")  # Vietnam (Asia/Ho_Chi_Minh, no daylight saving)


def event_times(rng: np.random.Generator, days: np.ndarray, rate: np.ndarray,
                hours: np.ndarray | None = None) -> np.ndarray:
    """Seeded event times (datetime64[s] in UTC, sorted) for Poisson counts per local day with
    mean `rate`; `hours` (24 weights) shapes the local hour of day."""
    n = rng.poisson(rate)
    day = np.repeat(days, n).astype("datetime64[s]")
    k = len(day)
    if hours is None:
        sec = rng.integers(0, 86_400, k)
    else:
        h = rng.choice(24, size=k, p=np.asarray(hours) / np.sum(hours))
        sec = h * 3600 + rng.integers(0, 3600, k)
    return np.sort(day + sec.astype("timedelta64[s]") - UTC_OFFSET)


def to_datetime(t: np.datetime64) -> datetime:
    """A datetime64 as an aware UTC datetime."""
    return datetime.fromtimestamp(int(t.astype("datetime64[s]").astype(np.int64)), tz=UTC)


def ar1(rng: np.random.Generator, n: int, *, sigma: float, phi: float = 0.6) -> np.ndarray:
    """A smooth noise series (AR(1)) with stationary standard deviation sigma."""
    e = rng.normal(0, sigma * np.sqrt(1 - phi * phi), n)
    out = np.empty(n)
    prev = rng.normal(0, sigma)
    for i in range(n):
        prev = phi * prev + e[i]
        out[i] = prev
    return out
