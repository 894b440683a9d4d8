"""Writes of department data, whatever the channel: store values (as a draft or submitted),
approve, reopen, delete. Each is one transaction: a refused request leaves nothing behind."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import pghistory
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gis_server.errors import BadRequest, Conflict, InvalidValues, NotFound
from gis_server.roles import is_administrator
from layers.models import DataValue, IntakeLog, Submission
from operations.alerts import alerts_evaluate
from operations.intake.orgunits import OrgUnit, normalise_code, org_units
from operations.intake.periods import period_code, period_label
from operations.intake.publish import STAGED, publish, unpublish
from operations.intake.scopes import require_administrator, require_head, require_supplier
from operations.intake.spec import DataSet
from operations.intake.validation import RawValue, Report, validate

logger = logging.getLogger(__name__)
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
    if keep_valid:  # the valid reports only: a report with an error is left out whole, never half stored
        report.values = [c for c in report.values if (c.org.id, c.period) not in report.bad_reports]
        kept = {(c.org.code, period_code(ds.period_type, c.period)) for c in report.values}
        report.warnings = [w for w in report.warnings if (w["unit"], w["period"]) in kept]
    if not report.values:
        raise InvalidValues(_("Không còn giá trị hợp lệ nào để lưu."), report.errors)
    result = StoreResult(warnings=report.warnings, skipped=report.errors if keep_valid else [])
    with transaction.atomic(), pghistory.context(channel=channel):
        _stage(report, confirm_outliers)
        statuses = _submissions(ds, user, channel, submit)
        result.changed = _write_values(ds, user, channel)
        if publish(ds):  # the staged reports that are submitted (a draft edit of a submitted report too)
            transaction.on_commit(_evaluate_alerts)
    result.submissions = len(statuses)
    _log(ds, user, channel, True, len(report.values), report.errors)
    result.stored = [
        {
            "unit": c.org.code,
            "element": c.element.code,
            "period": period_code(ds.period_type, c.period),
            "value": c.value,
            "status": statuses[(c.org.id, c.period)],
            "outlier": c.outlier,
        }
        for c in report.values
    ]
    return result


def _evaluate_alerts() -> None:
    """The alert rules read the tables the values were published into: run them now (about 0.3 s)
    rather than at the next scheduled evaluate_alerts, so an outbreak reported is an alert at once.
    A failure here never undoes the stored values; the scheduled run catches up."""
    try:
        alerts_evaluate()
    except DatabaseError:
        logger.exception("alert evaluation after a department submission failed")


def _log(ds: DataSet, user, channel: str, accepted: bool, n: int, errors: list[dict]) -> None:
    IntakeLog.objects.create(dataset=ds.code, user=user if user is not None and user.pk else None, channel=channel,
                             accepted=accepted, values=n, errors=errors[:LOGGED_ERRORS])


def _stage(report: Report, confirm: bool) -> None:
    """The checked values into a temporary table by COPY: the statements that follow join it, so
    no large parameter array is sent (10,000 values in a few milliseconds)."""
    with connection.cursor() as cur:
        cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {STAGED} (org bigint, period date, element text, value float8, "
                    "outlier bool, confirmed bool) ON COMMIT DROP")
        cur.execute(f"TRUNCATE {STAGED}")
        with cur.cursor.copy(f"COPY {STAGED} FROM STDIN") as copy:
            for c in report.values:
                copy.write_row((c.org.id, c.period, c.element.code, c.value, c.outlier, c.outlier and confirm))


def _submissions(ds: DataSet, user, channel: str, submit: bool) -> dict[tuple[int, date], str]:
    """Lock the staged values' reports, create the missing ones, submit them when asked; a value
    for an approved (locked) period refuses the whole request. Returns each report's status."""
    with connection.cursor() as cur:
        cur.execute(f"""SELECT s.org_id, s.period FROM layers_submission s
                          JOIN (SELECT DISTINCT org, period FROM {STAGED}) i ON s.org_id = i.org AND s.period = i.period
                         WHERE s.dataset = %s AND s.status = 'approved' ORDER BY s.period, s.org_id
                         FOR UPDATE OF s""", [ds.code])
        locked = cur.fetchone()
        if locked:
            code = next((u.code for u in org_units(ds) if u.id == locked[0]), locked[0])
            raise Conflict(_("Kỳ %(period)s của %(unit)s đã được phê duyệt và khóa; cần quản trị viên mở lại.") % {
                "period": period_label(ds.period_type, locked[1]), "unit": code})
        cur.execute(f"""INSERT INTO layers_submission (dataset, org_id, org_kind, period, status, channel, created_at,
                                                       updated_at, reopen_reason)
                        SELECT DISTINCT %s, org, %s, period, 'draft', %s, now(), now(), '' FROM {STAGED}
                        ON CONFLICT (dataset, org_id, period) DO NOTHING""",
                    [ds.code, ds.org_units.level or ds.org_units.table, channel])
        if submit:
            cur.execute(f"""UPDATE layers_submission s
                               SET status = 'submitted', updated_at = now(), submitted_at = coalesce(s.submitted_at, now()),
                                   submitted_by_id = CASE WHEN s.submitted_at IS NULL THEN %s ELSE s.submitted_by_id END
                              FROM (SELECT DISTINCT org, period FROM {STAGED}) i
                             WHERE s.dataset = %s AND s.org_id = i.org AND s.period = i.period AND s.status = 'draft'""",
                        [user.pk if user is not None else None, ds.code])
        cur.execute(f"""SELECT s.org_id, s.period, s.status FROM layers_submission s
                          JOIN (SELECT DISTINCT org, period FROM {STAGED}) i ON s.org_id = i.org AND s.period = i.period
                         WHERE s.dataset = %s""", [ds.code])
        return {(o, p): st for o, p, st in cur.fetchall()}


def _write_values(ds: DataSet, user, channel: str) -> int:
    """Upsert the staged values (one statement); an unchanged value is not rewritten, so a resend
    adds no history. Returns the number of values inserted or changed."""
    with connection.cursor() as cur:
        cur.execute(f"""INSERT INTO layers_datavalue AS t (submission_id, element, value, outlier, outlier_confirmed,
                                                          entered_by_id, entered_at, channel)
                        SELECT s.id, i.element, i.value, i.outlier, i.confirmed, %s, now(), %s
                          FROM {STAGED} i JOIN layers_submission s
                            ON s.dataset = %s AND s.org_id = i.org AND s.period = i.period
                        ON CONFLICT (submission_id, element) DO UPDATE
                           SET value = EXCLUDED.value, outlier = EXCLUDED.outlier,
                               outlier_confirmed = EXCLUDED.outlier_confirmed, entered_by_id = EXCLUDED.entered_by_id,
                               entered_at = EXCLUDED.entered_at, channel = EXCLUDED.channel
                         WHERE t.value IS DISTINCT FROM EXCLUDED.value
                            OR t.outlier_confirmed IS DISTINCT FROM EXCLUDED.outlier_confirmed""",
                    [user.pk if user is not None else None, channel, ds.code])
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
        unknown = wanted - {u.code for u in scope}
        if unknown:
            raise NotFound(_("Không có đơn vị “%(unit)s” trong phạm vi của bạn.") % {"unit": sorted(unknown)[0]})
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
    if sub.status in ACTIVE and unpublish(ds, sub.org_id, sub.period):
        transaction.on_commit(_evaluate_alerts)
    sub.delete()
