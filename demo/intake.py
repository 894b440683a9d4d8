"""24 months of department submissions for every data set: most reports on time and
approved, some late, some incomplete, the latest due period still missing at a few units,
the current period half done, and one upload refused for an out-of-range value.

Values of data sets that feed a domain table are read back from that table (the demo's
domain figures stay what they are); the others are drawn per district."""

from __future__ import annotations

import zlib
from datetime import date, datetime, time, timedelta

import numpy as np
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from layers.models import DepartmentScope, IntakeLog
from operations.intake.catalogue import all_datasets
from operations.intake.completeness import due_date, last_due_period
from operations.intake.orgunits import org_units
from operations.intake.periods import next_period, periods_back
from operations.intake.spec import DataSet, Raw

MONTHS = 24
LOCAL_MONTH = "date_trunc('month', {col} AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"
DISTRICT_OF = "CASE u.level WHEN 'district' THEN u.id ELSE u.parent_id END"
# a department's monthly report per district, as its own records add up (the same figures the
# map and the cards show): (district, month, element, value)
DERIVED = {
    "traffic_monthly": f"""SELECT c.parent_id, {LOCAL_MONTH.format(col="a.occurred_at")} AS m, e, v
        FROM layers_trafficaccident a JOIN layers_adminunit c ON c.id = a.commune_id,
        LATERAL (VALUES ('accidents', 1), ('casualties', a.deaths + a.injuries), ('deaths', a.deaths)) x(e, v)""",
    "security_monthly": f"""SELECT c.parent_id, {LOCAL_MONTH.format(col="i.occurred_at")}, e, v
        FROM layers_securityincident i JOIN layers_adminunit c ON c.id = i.commune_id,
        LATERAL (VALUES ('incidents', 1), ('solved', (i.status = 'closed')::int)) x(e, v)""",
    "citizen_feedback_monthly": f"""SELECT c.parent_id, {LOCAL_MONTH.format(col="r.received_at")}, e, v
        FROM layers_citizenreport r JOIN layers_adminunit c ON c.id = r.commune_id,
        LATERAL (VALUES ('received', 1), ('handled', (r.status IN ('resolved', 'rejected'))::int)) x(e, v)""",
    "public_service_monthly": f"""SELECT {DISTRICT_OF}, {LOCAL_MONTH.format(col="d.received_at")}, e, v
        FROM layers_dossier d JOIN layers_adminunit u ON u.id = d.unit_id,
        LATERAL (VALUES ('received', 1), ('resolved', (d.status = 'resolved')::int),
                        ('resolved_on_time', (d.status = 'resolved' AND d.resolved_at <= d.due_at)::int)) x(e, v)""",
    "cyber_monthly": """SELECT y.district_id, date_trunc('month', y.day)::date, e, v FROM layers_cyberdaily y,
        LATERAL (VALUES ('detected', y.detected), ('handled', y.handled)) x(e, v)""",
    "media_monthly": """SELECT y.district_id, date_trunc('month', y.day)::date, e, v FROM layers_mediadaily y,
        LATERAL (VALUES ('articles', y.mentions), ('negative', CASE WHEN y.sentiment = 'negative'
                                                                     THEN y.mentions ELSE 0 END)) x(e, v)""",
    "land_monthly": f"""SELECT c.parent_id, {LOCAL_MONTH.format(col="p.updated_at")}, e, v
        FROM layers_landparcel p JOIN layers_adminunit c ON c.id = p.commune_id,
        LATERAL (VALUES ('registrations', 1), ('certificates', (mod(p.id, 10) < 7)::int)) x(e, v)""",
}
PERIODS = {"weekly": 104, "monthly": MONTHS, "quarterly": 8, "school_year": 2, "yearly": 2}
LATE_SHARE = 0.08  # reports first sent after the due day
# the latest due period: who has not supplied it yet
MISSING_LATEST = {"grdp_quarterly": 1.0, "investment_monthly": 0.18, "disease_weekly": 0.06,
                  "health_facility_monthly": 0.06, "media_monthly": 0.1}
INCOMPLETE_LATEST = {"traffic_monthly": 2}
SILENT_UNIT = {"disease_weekly": (7, 3)}  # (unit index, periods): a commune silent for the last three weeks  # units whose report lacks a required element
CURRENT_SHARE = 0.45  # of the current (not yet due) period already submitted


def load_intake(today: date) -> dict[str, int]:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=("so_yte", "ld_yte"))}
    people = dict(DepartmentScope.objects.filter(role="officer").values_list("department__code", "user_id"))
    heads = dict(DepartmentScope.objects.filter(role="head").values_list("department__code", "user_id"))
    counts = {"submissions": 0, "data-values": 0}
    for ds in all_datasets():
        n, v = _dataset(ds, today, np.random.default_rng(zlib.crc32(ds.code.encode())))
        with connection.cursor() as cur:  # the department's demo officer sent them, its head approved them
            cur.execute("""UPDATE layers_submission SET submitted_by_id = CASE WHEN submitted_at IS NOT NULL THEN %s END,
                                  approved_by_id = CASE WHEN approved_at IS NOT NULL THEN %s END
                            WHERE dataset = %s""", [people.get(ds.department), heads.get(ds.department), ds.code])
        counts["submissions"] += n
        counts["data-values"] += v
    IntakeLog.objects.create(
        dataset="disease_weekly", user=users.get("so_yte"), channel="upload", accepted=False, values=222,
        errors=[{"code": "above_max", "cell": "D17", "unit": "25480", "element": "dengue_cases",
                 "message": "D17: 1.250 vượt mức tối đa 500 cho “Số ca sốt xuất huyết”"}])
    return counts


def _dataset(ds: DataSet, today: date, rng: np.random.Generator) -> tuple[int, int]:
    units = org_units(ds)
    last = last_due_period(ds, today)
    periods = periods_back(ds.period_type, last, PERIODS[ds.period_type])
    current = next_period(ds.period_type, last)
    rows = []  # (org, period, status, submitted_at, approved_at)
    now = timezone.now()
    early = ds.period_type in ("weekly", "monthly")  # a report of the running week or month, sent as it goes
    for p in periods + ([current] if early and current <= today else []):
        due = timezone.make_aware(datetime.combine(due_date(ds, p), time(17)))
        silent_unit, silent_periods = SILENT_UNIT.get(ds.code, (-1, 0))
        for i, u in enumerate(units):
            if p == last and rng.random() < MISSING_LATEST.get(ds.code, 0):
                continue
            if i == silent_unit and p in periods[-silent_periods:]:
                continue
            if p == current:
                if rng.random() > CURRENT_SHARE:
                    continue
                at = min(now - timedelta(hours=1), timezone.make_aware(datetime.combine(due_date(ds, p), time(9))))
                rows.append((u.id, p, "submitted" if rng.random() < 0.8 else "draft", at, None))
                continue
            late = rng.random() < LATE_SHARE
            at = due + timedelta(days=int(rng.integers(1, 12)) if late else -int(rng.integers(0, 6)))
            if at > now:
                continue  # a late report not sent yet
            approved_at = at + timedelta(days=int(rng.integers(1, 5)))
            approved = (p < periods[-1] or rng.random() < 0.75) and approved_at < now  # heads approve within days
            rows.append((u.id, p, "approved" if approved else "submitted", at, approved_at if approved else None))
    if not rows:
        return 0, 0
    with connection.cursor() as cur:
        cur.execute("""INSERT INTO layers_submission (dataset, org_id, org_kind, period, status, channel, created_at,
                                                      updated_at, submitted_at, approved_at, reopen_reason)
                       SELECT %s, o, %s, p, s, 'demo', a, coalesce(b, a), CASE WHEN s = 'draft' THEN NULL ELSE a END, b, ''
                         FROM unnest(%s::bigint[], %s::date[], %s::text[], %s::timestamptz[], %s::timestamptz[])
                              AS r(o, p, s, a, b)""",
                    [ds.code, ds.org_units.level or ds.org_units.table] + [list(c) for c in zip(*rows, strict=True)])
    values = 0
    for e in ds.elements:
        values += _values_from_sink(ds, e) if e.sink is not None else 0
    if ds.code in DERIVED:
        values += _derived_values(ds)
    elif not any(e.sink for e in ds.elements):
        values += _drawn_values(ds, rng)
    _drop_some(ds, last, rng)
    return len(rows), values


def _values_from_sink(ds: DataSet, e) -> int:
    s = e.sink
    keys = " ".join(f"AND t.{k} = {v.sql if isinstance(v, Raw) else repr(v)}" for k, v in s.keys)
    period = "extract(year FROM sub.period)::int" if s.period_as_year else "sub.period"
    with connection.cursor() as cur:
        cur.execute(f"""INSERT INTO layers_datavalue (submission_id, element, value, outlier, outlier_confirmed,
                                                      entered_at, channel)
                        SELECT sub.id, %s, t.{s.column}, false, false, coalesce(sub.submitted_at, sub.created_at), 'demo'
                          FROM layers_submission sub JOIN {s.table} t
                            ON t.{s.unit_column} = sub.org_id AND t.{s.period_column} = {period} {keys}
                         WHERE sub.dataset = %s""", [e.code, ds.code])
        return cur.rowcount


def _derived_values(ds: DataSet) -> int:
    """Each report's values summed from the department's own records of that district and month."""
    with connection.cursor() as cur:
        cur.execute(f"""INSERT INTO layers_datavalue (submission_id, element, value, outlier, outlier_confirmed,
                                                      entered_at, channel)
                        SELECT s.id, d.e, sum(d.v), false, false, coalesce(s.submitted_at, s.created_at), 'demo'
                          FROM ({DERIVED[ds.code]}) d(org, period, e, v)
                          JOIN layers_submission s ON s.dataset = %s AND s.org_id = d.org AND s.period = d.period
                         GROUP BY s.id, d.e, s.submitted_at, s.created_at""", [ds.code])
        found = cur.rowcount
        # a month without a single record is reported as 0, not left blank
        cur.execute("""INSERT INTO layers_datavalue (submission_id, element, value, outlier, outlier_confirmed,
                                                     entered_at, channel)
                       SELECT s.id, e, 0, false, false, coalesce(s.submitted_at, s.created_at), 'demo'
                         FROM layers_submission s CROSS JOIN unnest(%s::text[]) e WHERE s.dataset = %s
                       ON CONFLICT (submission_id, element) DO NOTHING""", [[e.code for e in ds.elements], ds.code])
        return found + cur.rowcount


def _drawn_values(ds: DataSet, rng: np.random.Generator) -> int:
    """A district's monthly report: a base level per district and element, ±20 % a month,
    each rule's left side kept at or below its right side."""
    with connection.cursor() as cur:
        cur.execute("SELECT id, org_id, submitted_at, created_at FROM layers_submission WHERE dataset = %s "
                    "ORDER BY id", [ds.code])
        subs = cur.fetchall()
    base = {}
    out = []
    for sid, org, sat, cat in subs:
        vals = {}
        for e in ds.elements:
            level = base.setdefault((org, e.code), float(rng.uniform(0.02, 0.12)) * (e.max or 100))
            vals[e.code] = round(level * float(rng.uniform(0.8, 1.2)))
        for r in ds.rules:
            vals[r.left] = min(vals[r.left], round(vals[r.right] * float(rng.uniform(0.25, 0.95))))
        out += [(sid, code, v, sat or cat) for code, v in vals.items()]
    with connection.cursor() as cur:
        cur.execute("""INSERT INTO layers_datavalue (submission_id, element, value, outlier, outlier_confirmed,
                                                     entered_at, channel)
                       SELECT s, e, v, false, false, a, 'demo'
                         FROM unnest(%s::bigint[], %s::text[], %s::float8[], %s::timestamptz[]) AS r(s, e, v, a)""",
                    [list(c) for c in zip(*out, strict=True)])
        return cur.rowcount


def _drop_some(ds: DataSet, last: date, rng: np.random.Generator) -> None:
    """Incomplete reports: a required element left out at a few units in the latest due period."""
    n = INCOMPLETE_LATEST.get(ds.code, 0)
    if not n:
        return
    element = ds.elements[-1].code
    with connection.cursor() as cur:
        cur.execute("""DELETE FROM layers_datavalue WHERE element = %s AND submission_id IN (
                         SELECT id FROM layers_submission WHERE dataset = %s AND period = %s ORDER BY org_id LIMIT %s)""",
                    [element, ds.code, last, n])
