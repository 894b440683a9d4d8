"""Completeness and timeliness of every data set, per period, department and unit, computed
from what was actually submitted (never declared by hand). The supply board, the department
ranking, the alerts for late or incomplete data and the upward report read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from gis_server.context import page_language
from layers.models import Department
from operations.intake.catalogue import all_datasets
from operations.intake.orgunits import OrgUnit, org_units
from operations.intake.periods import period_end, period_label, period_start, periods_back, previous_period
from operations.intake.spec import DataSet

# the department ranking looks at each data set's due periods of the last twelve months
RANKING_PERIODS = {"weekly": 52, "monthly": 12, "quarterly": 4, "school_year": 1, "yearly": 1}
SINCE_LOOKBACK = 104  # how far back "missing since" looks


def due_date(ds: DataSet, period: date) -> date:
    return period_end(ds.period_type, period) + timedelta(days=ds.due_days)


def _due_at(ds: DataSet, period: date) -> datetime:
    """The end of the due day, local time: a submission at or before it is on time."""
    return timezone.make_aware(datetime.combine(due_date(ds, period) + timedelta(days=1), time.min))


def last_due_period(ds: DataSet, today: date | None = None) -> date:
    """The latest period whose due day has passed."""
    today = today or timezone.localdate()
    p = previous_period(ds.period_type, period_start(ds.period_type, today))
    while due_date(ds, p) >= today:
        p = previous_period(ds.period_type, p)
    return p


@dataclass
class PeriodStat:
    period: date
    expected: int
    submitted: int  # units with a submitted or approved report, complete or not
    complete: int  # ... with every required element
    on_time: int  # ... complete and first submitted by the due day
    approved: int

    @property
    def completeness(self) -> float | None:
        return 100.0 * self.complete / self.expected if self.expected else None

    @property
    def timeliness(self) -> float | None:
        return 100.0 * self.on_time / self.expected if self.expected else None


def dataset_stats(ds: DataSet, periods: list[date], units: list[OrgUnit] | None = None) -> list[PeriodStat]:
    """Per period: expected units, submitted, complete, on time, approved (one query)."""
    units = org_units(ds) if units is None else units
    required = [e.code for e in ds.elements if e.required]
    with connection.cursor() as cur:
        cur.execute("""
            WITH p AS (SELECT * FROM unnest(%s::date[], %s::timestamptz[]) AS p(period, due_at)),
                 s AS (SELECT s.period, s.status, s.submitted_at,
                              (SELECT count(*) FROM layers_datavalue v
                                WHERE v.submission_id = s.id AND v.element = ANY(%s)) = %s AS complete
                         FROM layers_submission s
                        WHERE s.dataset = %s AND s.status IN ('submitted', 'approved')
                          AND s.period = ANY(%s) AND s.org_id = ANY(%s))
            SELECT p.period, count(s.period), count(*) FILTER (WHERE s.complete),
                   count(*) FILTER (WHERE s.complete AND s.submitted_at <= p.due_at),
                   count(*) FILTER (WHERE s.status = 'approved')
              FROM p LEFT JOIN s ON s.period = p.period GROUP BY p.period ORDER BY p.period""",
                    [periods, [_due_at(ds, p) for p in periods], required, len(required), ds.code, periods,
                     [u.id for u in units]])
        return [PeriodStat(p, len(units), n, c, t, a) for p, n, c, t, a in cur.fetchall()]


@dataclass
class Missing:
    unit: OrgUnit
    elements: list[str]  # names of the required elements missing (all of them: nothing submitted)
    since: date  # the first period of the unbroken run of missing or incomplete reports
    status: str  # none / draft / incomplete
    since_label: str = ""

    @property
    def status_label(self) -> str:
        return {"none": _("Chưa gửi"), "draft": _("Mới lưu nháp"), "incomplete": _("Gửi thiếu chỉ tiêu")}[self.status]


def missing_units(ds: DataSet, period: date, districts: frozenset[int] | None = None) -> list[Missing]:
    """Which unit has not supplied `period` (or not completely), which elements, and since when."""
    units = org_units(ds, districts)
    periods = periods_back(ds.period_type, period, SINCE_LOOKBACK)
    required = [e for e in ds.elements if e.required]
    en = page_language() == "en"
    with connection.cursor() as cur:
        cur.execute("""SELECT s.org_id, s.period, s.status, array_remove(array_agg(v.element), NULL)
                         FROM layers_submission s LEFT JOIN layers_datavalue v ON v.submission_id = s.id
                        WHERE s.dataset = %s AND s.period BETWEEN %s AND %s
                        GROUP BY s.id""", [ds.code, periods[0], period])
        reports = {(o, p): (st, set(els)) for o, p, st, els in cur.fetchall()}
    out = []
    for u in units:
        def ok(p, u=u):
            st, els = reports.get((u.id, p), ("none", set()))
            return st in ("submitted", "approved") and all(e.code in els for e in required)
        if ok(period):
            continue
        since = period
        for p in reversed(periods[:-1]):
            if ok(p):
                break
            since = p
        st, els = reports.get((u.id, period), ("none", set()))
        state = "none" if st == "none" else "draft" if st == "draft" else "incomplete"
        out.append(Missing(u, [e.name_en if en else e.name_vi for e in required if e.code not in els or st == "draft"],
                           since, state,
                           period_label(ds.period_type, since)))
    return out


@dataclass
class DatasetSupply:
    ds: DataSet
    period: date  # the latest due period
    stat: PeriodStat
    latest: date | None  # the latest period with any submitted report
    state: str  # current / late / incomplete

    @property
    def detail(self) -> str:
        return _("%(have)s/%(expected)s đơn vị đủ số liệu, %(period)s; hạn %(due)s") % {
            "have": self.stat.complete, "expected": self.stat.expected,
            "period": period_label(self.ds.period_type, self.period), "due": f"{due_date(self.ds, self.period):%d/%m/%Y}"}


def dataset_supply(ds: DataSet, today: date | None = None) -> DatasetSupply:
    period = last_due_period(ds, today)
    stat = dataset_stats(ds, [period])[0]
    state = "current" if stat.expected and stat.complete >= stat.expected else (
        "incomplete" if stat.submitted else "late")
    with connection.cursor() as cur:
        cur.execute("SELECT max(period) FROM layers_submission WHERE dataset = %s AND status IN ('submitted', "
                    "'approved')", [ds.code])
        latest = cur.fetchone()[0]
    return DatasetSupply(ds, period, stat, latest, state)


@dataclass
class DepartmentRank:
    department: Department
    datasets: int
    completeness: float | None  # % of expected reports complete, over each data set's last periods
    timeliness: float | None
    late: int  # data sets whose latest due period is not complete


def department_ranking(today: date | None = None) -> list[DepartmentRank]:
    """Departments from the most to the least complete (then timely) over their data sets' last year."""
    depts = {d.code: d for d in Department.objects.filter(active=True)}
    totals: dict[str, list[int]] = {}
    for ds in all_datasets():
        if ds.department not in depts:
            continue
        last = last_due_period(ds, today)
        stats = dataset_stats(ds, periods_back(ds.period_type, last, RANKING_PERIODS[ds.period_type]))
        t = totals.setdefault(ds.department, [0, 0, 0, 0, 0])
        t[0] += 1
        t[1] += sum(s.expected for s in stats)
        t[2] += sum(s.complete for s in stats)
        t[3] += sum(s.on_time for s in stats)
        t[4] += int(stats[-1].complete < stats[-1].expected)
    out = [DepartmentRank(depts[c], t[0], 100.0 * t[2] / t[1] if t[1] else None,
                          100.0 * t[3] / t[1] if t[1] else None, t[4]) for c, t in totals.items()]
    return sorted(out, key=lambda r: (-(r.completeness or 0), -(r.timeliness or 0), r.department.name))
