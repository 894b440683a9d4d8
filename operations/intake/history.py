"""Reads of department data for the push API, always within the caller's scope (the districts
`require_supplier` returned): what a data set asks for, the values and submission states of a
period, and every version of the values with who, when and through which channel."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from gis_server.errors import NotFound
from layers.models import DataValue, Department, Submission
from operations.intake.completeness import last_due_period
from operations.intake.orgunits import OrgUnit, normalise_code, org_units
from operations.intake.periods import period_code, period_label, period_start
from operations.intake.spec import DataSet

HISTORY_LIMIT = 500
HISTORY_MAX = 5000


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def _element(e) -> dict:
    return {"code": e.code, "name_vi": e.name_vi, "name_en": e.name_en, "value_type": e.value_type,
            "unit": e.unit, "min": e.min, "max": e.max, "required": e.required}


def dataset_summaries(*, datasets: list[DataSet], scopes: dict[str, frozenset[int] | None],
                      today: date | None = None) -> list[dict]:
    """What each data set asks for, and how many of its units the caller supplies."""
    today = today or timezone.localdate()
    departments = {d.code: d for d in Department.objects.filter(code__in={ds.department for ds in datasets})}
    out = []
    for ds in datasets:
        dept = departments.get(ds.department)
        ou = ds.org_units
        out.append({
            "code": ds.code, "title_vi": ds.title_vi, "title_en": ds.title_en, "domain": ds.domain,
            "department": {"code": ds.department, "name": dept.name if dept else "",
                           "name_en": dept.name_en if dept else ""},
            "period_type": ds.period_type, "due_days": ds.due_days,
            "org_unit_kind": ou.level or ou.table,
            "org_unit_label_vi": ou.label_vi, "org_unit_label_en": ou.label_en,
            "units_in_scope": len(org_units(ds, scopes.get(ds.code))),
            "open_period": period_code(ds.period_type, period_start(ds.period_type, today)),
            "last_due_period": period_code(ds.period_type, last_due_period(ds, today)),
            "elements": [_element(e) for e in ds.elements],
            "rules": [{"kind": r.kind, "left": r.left, "right": r.right, "low": r.low, "high": r.high,
                       "message_vi": r.message_vi, "message_en": r.message_en} for r in ds.rules],
        })
    return out


def dataset_detail(*, ds: DataSet, districts: frozenset[int] | None, today: date | None = None) -> dict:
    """One data set's summary and the caller's organisation units."""
    out = dataset_summaries(datasets=[ds], scopes={ds.code: districts}, today=today)[0]
    out["units"] = [{"code": u.code, "name": u.name, "district": u.district} for u in org_units(ds, districts)]
    return out


def scoped_units(ds: DataSet, districts: frozenset[int] | None, unit: str | None = None) -> list[OrgUnit]:
    """The caller's units of `ds` (or the one named; NotFound when it is not among them)."""
    units = org_units(ds, districts)
    if unit is None:
        return units
    code = normalise_code(ds, unit)
    found = [u for u in units if u.code == code]
    if not found:
        raise NotFound(_("Không có đơn vị “%(unit)s” trong phạm vi của bạn.") % {"unit": unit})
    return found


def _submission_json(ds: DataSet, s: Submission, unit: OrgUnit) -> dict:
    def name(user):
        return user.get_username() if user is not None else None

    return {
        "unit": unit.code, "unit_name": unit.name, "district": unit.district,
        "period": period_code(ds.period_type, s.period), "status": s.status, "channel": s.channel,
        "submitted_at": _iso(s.submitted_at), "submitted_by": name(s.submitted_by),
        "approved_at": _iso(s.approved_at), "approved_by": name(s.approved_by),
        "reopened_at": _iso(s.reopened_at), "reopened_by": name(s.reopened_by), "reopen_reason": s.reopen_reason,
        "updated_at": _iso(s.updated_at),
    }


def period_state(*, ds: DataSet, districts: frozenset[int] | None, period: date, unit: str | None = None,
                 only: list[str] | None = None) -> dict:
    """The period's submissions in the caller's scope (or the one unit), each with its values;
    the units without a report are listed as missing."""
    units = scoped_units(ds, districts, unit)
    if only is not None:
        wanted = {normalise_code(ds, u) for u in only}
        units = [u for u in units if u.code in wanted]
    by_id = {u.id: u for u in units}
    subs = list(Submission.objects.filter(dataset=ds.code, period=period, org_id__in=list(by_id))
                .select_related("submitted_by", "approved_by", "reopened_by"))
    values: dict[int, list[dict]] = {}
    for v in (DataValue.objects.filter(submission__in=subs).select_related("entered_by")
              .order_by("submission_id", "element")):
        values.setdefault(v.submission_id, []).append({
            "element": v.element, "value": v.value, "outlier": v.outlier,
            "outlier_confirmed": v.outlier_confirmed, "channel": v.channel, "entered_at": _iso(v.entered_at),
            "entered_by": v.entered_by.get_username() if v.entered_by else None,
        })
    found = {s.org_id for s in subs}
    reports = sorted(({**_submission_json(ds, s, by_id[s.org_id]), "values": values.get(s.pk, [])} for s in subs),
                     key=lambda r: r["unit"])
    return {
        "dataset": ds.code, "period": period_code(ds.period_type, period),
        "period_label": period_label(ds.period_type, period),
        "units_in_scope": len(units), "submissions": reports,
        "missing": [u.code for u in units if u.id not in found],
    }


def submission_state(*, ds: DataSet, sub: Submission) -> dict:
    """One submission as the API shows it."""
    unit = next((u for u in org_units(ds) if u.id == sub.org_id), None)
    unit = unit or OrgUnit(sub.org_id, str(sub.org_id), "", None, "")
    return _submission_json(ds, sub, unit)


def value_history(*, ds: DataSet, districts: frozenset[int] | None, unit: str | None = None,
                  period: date | None = None, limit: int = HISTORY_LIMIT) -> dict:
    """Every version of the values of `ds` in the caller's scope, newest first: who (the user of
    the change's context, else the value's enterer), when, the channel, insert/update/delete
    and the value before and after. Values of a deleted submission can no longer be placed
    (the submission named their unit and period), so they are not listed."""
    units = {u.id: u for u in scoped_units(ds, districts, unit)}
    sql = """
        WITH events AS (
            SELECT e.pgh_id, e.pgh_created_at, e.pgh_label, e.element, e.value, e.channel, e.outlier,
                   e.outlier_confirmed, e.entered_by_id, e.pgh_context_id, s.org_id, s.period,
                   lag(e.value) OVER (PARTITION BY e.pgh_obj_id ORDER BY e.pgh_id) AS previous
              FROM layers_datavalueevent e
              JOIN layers_submission s ON s.id = e.submission_id
             WHERE s.dataset = %s AND s.org_id = ANY(%s) AND (%s::date IS NULL OR s.period = %s::date))
        SELECT ev.pgh_id, ev.pgh_created_at, ev.pgh_label, ev.element, ev.value, ev.previous, ev.org_id, ev.period,
               coalesce(c.metadata->>'channel', ev.channel), ev.outlier, ev.outlier_confirmed,
               coalesce(u.username, eu.username), c.metadata->>'url'
          FROM events ev
          LEFT JOIN pghistory_context c ON c.id = ev.pgh_context_id
          LEFT JOIN auth_user u ON u.id::text = c.metadata->>'user'
          LEFT JOIN auth_user eu ON eu.id = ev.entered_by_id
         ORDER BY ev.pgh_id DESC
         LIMIT %s"""
    with connection.cursor() as cur:
        cur.execute(sql, [ds.code, list(units), period, period, limit + 1])
        rows = cur.fetchall()
    events = []
    for pid, at, action, element, value, previous, org, start, channel, outlier, confirmed, by, url in rows[:limit]:
        before, after = {"insert": (None, value), "delete": (value, None)}.get(action, (previous, value))
        events.append({
            "event": pid, "at": _iso(at), "by": by, "channel": channel, "via": url, "action": action,
            "unit": units[org].code, "unit_name": units[org].name, "period": period_code(ds.period_type, start),
            "element": element, "before": before, "after": after, "outlier": outlier,
            "outlier_confirmed": confirmed,
        })
    return {"dataset": ds.code, "unit": next(iter(units.values())).code if unit else None,
            "period": period_code(ds.period_type, period) if period else None,
            "events": events, "truncated": len(rows) > limit}
