"""Writes of department data, whatever the channel: store values (as a draft or submitted),
approve, reopen, delete. Each is one transaction: a refused request leaves nothing behind."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import pghistory
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gis_server.errors import BadRequest, Conflict, InvalidValues, NotFound
from gis_server.roles import is_administrator
from layers.models import DataValue, IntakeLog, Submission
from operations.intake.orgunits import OrgUnit, normalise_code, org_units
from operations.intake.periods import period_code, period_label
from operations.intake.publish import publish, unpublish
from operations.intake.scopes import require_administrator, require_head, require_supplier
from operations.intake.spec import DataSet
from operations.intake.validation import RawValue, Report, validate

ACTIVE = ("submitted", "approved")
LOGGED_ERRORS = 50


@dataclass
class StoreResult:
    stored: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # invalid values left out on request (keep_valid)
    submissions: int = 0
    changed: int = 0

    def as_json(self) -> dict:
        return {
            "stored": self.stored,
            "warnings": self.warnings,
            "skipped": self.skipped,
            "submissions": self.submissions,
            "changed": self.changed,
        }


def stored_values(ds: DataSet, keys: set[tuple[int, date]]) -> dict[tuple[int, date], dict[str, float]]:
    """The values already kept for these (unit, period) pairs."""
    if not keys:
        return {}
    orgs, periods = zip(*keys, strict=True)
    out: dict[tuple[int, date], dict[str, float]] = defaultdict(dict)
    with connection.cursor() as cur:
        cur.execute(
            """SELECT s.org_id, s.period, v.element, v.value FROM layers_submission s
                         JOIN layers_datavalue v ON v.submission_id = s.id
                        WHERE s.dataset = %s AND (s.org_id, s.period) IN (SELECT * FROM unnest(%s::bigint[], %s::date[]))""",
            [ds.code, list(orgs), list(periods)],
        )
        for org, period, element, value in cur.fetchall():
            out[(org, period)][element] = value
    return out


def values_check(*, ds: DataSet, raws: list[RawValue], user, submit: bool) -> tuple[Report, list[OrgUnit]]:
    """Validate without storing (the spreadsheet's report, the form's live check)."""
    districts = require_supplier(user, ds)
    units = org_units(ds)
    allowed = units if districts is None else [u for u in units if u.district_id in districts]
    by_code = {u.code: u for u in units}
    keys = {(by_code[c].id, r.period) for r in raws if (c := normalise_code(ds, r.unit)) in by_code}
    return validate(ds, raws, units=units, allowed=allowed, stored=stored_values(ds, keys), submit=submit), units


def values_store(
    *,
    ds: DataSet,
    raws: list[RawValue],
    user,
    channel: str,
    submit: bool = True,
    confirm_outliers: bool = False,
    keep_valid: bool = False,
) -> StoreResult:
    """Validate and store `raws` for `ds`: all or nothing, unless `keep_valid` (then invalid
    values are reported as skipped and the rest stored). Submitting publishes the values."""
    if not raws:
        raise BadRequest(_("Không có giá trị nào để lưu."))
    report, _units = values_check(ds=ds, raws=raws, user=user, submit=submit)
    if report.errors and not keep_valid:
        _log(ds, user, channel, False, len(raws), report.errors)
        raise InvalidValues(
            _("%(n)s giá trị không hợp lệ; không lưu giá trị nào.") % {"n": len(report.errors)}, report.errors
        )
    if not report.values:
        raise InvalidValues(_("Không còn giá trị hợp lệ nào để lưu."), report.errors)
    result = StoreResult(warnings=report.warnings, skipped=report.errors if keep_valid else [])
    with transaction.atomic(), pghistory.context(channel=channel):
        subs = _submissions(ds, report, user, channel, submit)
        result.changed = _write_values(report, subs, user, channel, confirm_outliers)
        active = {k for k, s in subs.items() if s.status in ACTIVE}  # a draft edit of a submitted report too
        if active:
            publish(ds, stored_values(ds, active))
    result.submissions = len(subs)
    _log(ds, user, channel, True, len(report.values), report.errors)
    result.stored = [
        {
            "unit": c.org.code,
            "element": c.element.code,
            "period": period_code(ds.period_type, c.period),
            "value": c.value,
            "status": str(subs[(c.org.id, c.period)].status),
            "outlier": c.outlier,
        }
        for c in report.values
    ]
    return result


def _log(ds: DataSet, user, channel: str, accepted: bool, n: int, errors: list[dict]) -> None:
    IntakeLog.objects.create(dataset=ds.code, user=user if user is not None and user.pk else None, channel=channel,
                             accepted=accepted, values=n, errors=errors[:LOGGED_ERRORS])


def _submissions(ds: DataSet, report: Report, user, channel: str, submit: bool) -> dict[tuple[int, date], Submission]:
    """The (locked) submissions of the values' units and periods, created when missing; a value
    for an approved period refuses the whole request."""
    keys = {(c.org.id, c.period) for c in report.values}
    orgs = {o for o, _p in keys}
    periods = {p for _o, p in keys}
    found = {
        (s.org_id, s.period): s
        for s in Submission.objects.select_for_update().filter(dataset=ds.code, org_id__in=orgs, period__in=periods)
        if (s.org_id, s.period) in keys
    }
    locked = [s for s in found.values() if s.status == Submission.Status.APPROVED]
    if locked:
        names = {c.org.id: c.org.code for c in report.values}
        raise Conflict(
            _("Kỳ %(period)s của %(unit)s đã được phê duyệt và khóa; cần quản trị viên mở lại.")
            % {"period": period_label(ds.period_type, locked[0].period), "unit": names[locked[0].org_id]}
        )
    now = timezone.now()
    kind = ds.org_units.level or ds.org_units.table  # what org_id points at (the report layers' view reads it)
    new = [
        Submission(dataset=ds.code, org_id=o, org_kind=kind, period=p, channel=channel, status=Submission.Status.DRAFT)
        for o, p in keys - set(found)
    ]
    for s in Submission.objects.bulk_create(new):
        found[(s.org_id, s.period)] = s
    if submit:
        ids = [s.pk for s in found.values() if s.status == Submission.Status.DRAFT]
        Submission.objects.filter(pk__in=ids, submitted_at__isnull=True).update(submitted_at=now, submitted_by=user)
        Submission.objects.filter(pk__in=ids).update(status=Submission.Status.SUBMITTED, updated_at=now)
        for s in found.values():
            s.status = Submission.Status.SUBMITTED
    return found


def _write_values(report: Report, subs: dict, user, channel: str, confirm: bool) -> int:
    """Upsert the values (one statement); an unchanged value is not rewritten, so a resend adds
    no history. Returns the number of values inserted or changed."""
    rows = [
        (subs[(c.org.id, c.period)].pk, c.element.code, c.value, c.outlier, c.outlier and confirm)
        for c in report.values
    ]
    sub_ids, elements, values, outliers, confirmed = (list(x) for x in zip(*rows, strict=True))
    with connection.cursor() as cur:
        cur.execute(
            """INSERT INTO layers_datavalue AS t (submission_id, element, value, outlier, outlier_confirmed,
                                                          entered_by_id, entered_at, channel)
                       SELECT v.s, v.e, v.v, v.o, v.c, %s, now(), %s
                         FROM unnest(%s::bigint[], %s::text[], %s::float8[], %s::bool[], %s::bool[]) AS v(s, e, v, o, c)
                       ON CONFLICT (submission_id, element) DO UPDATE
                          SET value = EXCLUDED.value, outlier = EXCLUDED.outlier,
                              outlier_confirmed = EXCLUDED.outlier_confirmed, entered_by_id = EXCLUDED.entered_by_id,
                              entered_at = EXCLUDED.entered_at, channel = EXCLUDED.channel
                        WHERE t.value IS DISTINCT FROM EXCLUDED.value
                           OR t.outlier_confirmed IS DISTINCT FROM EXCLUDED.outlier_confirmed""",
            [user.pk if user is not None else None, channel, sub_ids, elements, values, outliers, confirmed],
        )
        return cur.rowcount


def _submission(ds: DataSet, unit: str, period: date, districts) -> tuple[Submission, OrgUnit]:
    units = {u.code: u for u in org_units(ds, districts)}
    org = units.get(normalise_code(ds, unit))
    if org is None:
        raise NotFound(_("Không có đơn vị “%(unit)s” trong phạm vi của bạn.") % {"unit": unit})
    sub = Submission.objects.select_for_update().filter(dataset=ds.code, org_id=org.id, period=period).first()
    if sub is None:
        raise NotFound(
            _("%(unit)s chưa có báo cáo %(period)s.")
            % {"unit": org.name, "period": period_label(ds.period_type, period)}
        )
    return sub, org


@transaction.atomic
def submissions_approve(*, ds: DataSet, period: date, user, units: list[str] | None = None) -> int:
    """Approve (and lock) the period's submitted reports, all of them in the head's scope or the
    listed units; their flagged outliers count as confirmed. Returns how many."""
    districts = require_head(user, ds)
    scope = org_units(ds, districts)
    if units is not None:
        wanted = {normalise_code(ds, u) for u in units}
        scope = [u for u in scope if u.code in wanted]
    subs = Submission.objects.select_for_update().filter(
        dataset=ds.code, period=period, org_id__in=[u.id for u in scope], status=Submission.Status.SUBMITTED
    )
    ids = list(subs.values_list("pk", flat=True))
    if not ids:
        raise Conflict(
            _("Không có báo cáo nào đã gửi và chờ duyệt cho %(period)s.")
            % {"period": period_label(ds.period_type, period)}
        )
    DataValue.objects.filter(submission_id__in=ids, outlier=True).update(outlier_confirmed=True)
    return Submission.objects.filter(pk__in=ids).update(
        status=Submission.Status.APPROVED, approved_at=timezone.now(), approved_by=user
    )


@transaction.atomic
def submission_reopen(*, ds: DataSet, unit: str, period: date, user, reason: str) -> Submission:
    """An administrator reopens an approved report, with a reason; it goes back to submitted."""
    require_administrator(user)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise BadRequest(_("Hãy ghi lý do mở lại (ít nhất 5 ký tự)."))
    sub, _org = _submission(ds, unit, period, None)
    if sub.status != Submission.Status.APPROVED:
        raise Conflict(_("Báo cáo này chưa được phê duyệt, không cần mở lại."))
    sub.status = Submission.Status.SUBMITTED
    sub.reopened_at, sub.reopened_by, sub.reopen_reason = timezone.now(), user, reason[:500]
    sub.save()
    return sub


@transaction.atomic
def submission_delete(*, ds: DataSet, unit: str, period: date, user) -> None:
    """Delete a report and take its values off the map; an approved one only by an administrator."""
    districts = require_head(user, ds)
    sub, _org = _submission(ds, unit, period, districts)
    if sub.status == Submission.Status.APPROVED and not is_administrator(user):
        raise Conflict(_("Báo cáo đã phê duyệt; chỉ quản trị viên được xóa."))
    if sub.status in ACTIVE:
        unpublish(ds, sub.org_id, sub.period)
    sub.delete()
