"""Upward reporting: each period's socio-economic indicator values go to the Government's
reporting system as JSON over HTTPS, with an idempotency key, retries and a delivery log.
A report is stored before it is sent, so an unreachable upstream never loses it."""

from __future__ import annotations

import hashlib
import json
import time
from datetime import date
from urllib.parse import urlparse

import requests
from django.conf import settings
from django.db import connection
from django.utils import timezone

from gis_server.errors import BadRequest
from layers.models import ReportDelivery
from operations.intake.catalogue import all_datasets, get_dataset
from operations.intake.completeness import dataset_stats
from operations.intake.periods import period_code, period_start

ATTEMPTS_PER_RUN = 3
BACKOFF_SECONDS = (0.5, 2.0)


class ReportingError(BadRequest):
    pass


def _indicator_datasets() -> list[tuple[str, str]]:
    """(data set, indicator code) for every element that supplies an indicator."""
    return [(ds.code, e.code) for ds in all_datasets() for e in ds.elements
            if e.sink is not None and e.sink.table == "layers_indicatorvalue"]


def build_payload(period: date) -> dict:
    """The period's district values that are approved (a value still awaiting its department
    head's approval is left out; values loaded before intake existed have no report and go), and
    each supplying data set's completeness and timeliness for the period."""
    fed = _indicator_datasets()
    with connection.cursor() as cur:
        cur.execute("""WITH fed(dataset, code) AS (SELECT * FROM unnest(%s::text[], %s::text[]))
                       SELECT i.code, i.name_vi, i.unit, u.code, u.name, u.level, v.value, v.plan
                         FROM layers_indicatorvalue v JOIN layers_indicator i ON i.id = v.indicator_id
                         JOIN layers_adminunit u ON u.id = v.unit_id
                        WHERE v.period = %s AND u.level = 'district'
                          AND NOT EXISTS (SELECT 1 FROM fed JOIN layers_submission s ON s.dataset = fed.dataset
                                           WHERE fed.code = i.code AND s.org_id = u.id AND s.period = v.period
                                             AND s.status <> 'approved')
                        ORDER BY i.code, u.code""", [[d for d, _c in fed], [c for _d, c in fed], period])
        rows = cur.fetchall()
    return {"province": settings.IOC_PROVINCE.code, "period": f"{period:%Y-%m}", "values": [
        {"indicator": c, "name": n, "unit": un, "unit_code": uc, "unit_name": unm, "level": lv, "value": v, "plan": p}
        for c, n, un, uc, unm, lv, v, p in rows], "completeness": _completeness(period, {d for d, _c in fed})}


def _completeness(period: date, codes: set[str]) -> list[dict]:
    out = []
    for code in sorted(codes):
        ds = get_dataset(code)
        stat = dataset_stats(ds, [period_start(ds.period_type, period)])[0]
        out.append({"dataset": ds.code, "department": ds.department, "period": period_code(ds.period_type, stat.period),
                    "expected": stat.expected, "complete": stat.complete, "on_time": stat.on_time,
                    "approved": stat.approved})
    return out


def latest_complete_period() -> date | None:
    with connection.cursor() as cur:
        cur.execute("SELECT max(period) FROM layers_indicatorvalue")
        return cur.fetchone()[0]


def prepare(period: date) -> ReportDelivery:
    """Store the period's report (once; its key is derived from the period and content)."""
    existing = ReportDelivery.objects.filter(period=period).first()
    if existing:
        return existing
    payload = build_payload(period)
    if not payload["values"]:
        raise ReportingError(f"no indicator values for {period:%m/%Y}")
    key = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:40]
    return ReportDelivery.objects.create(period=period, idempotency_key=f"{settings.IOC_PROVINCE.upstream_id}-{period:%Y%m}-{key}", payload=payload)


def _check_url(url: str) -> None:
    u = urlparse(url)
    if u.scheme == "https" or (u.scheme == "http" and u.hostname in ("127.0.0.1", "localhost", "::1")):
        return
    raise ReportingError(f"upstream URL must be https:// (got {url!r})")


def deliver(rec: ReportDelivery, *, url: str, token: str = "", sleep=time.sleep) -> bool:
    """Try to send one report; every attempt is logged. True once delivered."""
    if rec.status == ReportDelivery.Status.DELIVERED:
        return True
    _check_url(url)
    headers = {"Content-Type": "application/json", "Idempotency-Key": rec.idempotency_key}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    for i in range(ATTEMPTS_PER_RUN):
        entry = {"at": timezone.now().isoformat(), "attempt": rec.attempts + 1}
        try:
            r = requests.post(url, data=json.dumps(rec.payload, default=str), headers=headers, timeout=30)
            entry.update(status=r.status_code, body=r.text[:300])
            ok = 200 <= r.status_code < 300
        except requests.RequestException as exc:
            entry.update(error=f"{type(exc).__name__}: {str(exc)[:300]}")
            ok = False
        rec.attempts += 1
        rec.log = [*rec.log, entry]
        if ok:
            rec.status, rec.delivered_at = ReportDelivery.Status.DELIVERED, timezone.now()
            rec.save()
            return True
        rec.status = ReportDelivery.Status.FAILED
        rec.save()
        if i < ATTEMPTS_PER_RUN - 1:
            sleep(BACKOFF_SECONDS[min(i, len(BACKOFF_SECONDS) - 1)])
    return False


def send_pending(*, url: str | None = None, token: str | None = None, period: date | None = None,
                 sleep=time.sleep) -> list[ReportDelivery]:
    """Prepare the latest (or given) period and send every report not yet delivered."""
    url = url or settings.IOC_UPSTREAM_URL
    token = settings.IOC_UPSTREAM_TOKEN if token is None else token
    if not url:
        raise ReportingError("no upstream configured: set IOC_UPSTREAM_URL (and IOC_UPSTREAM_TOKEN)")
    period = period or latest_complete_period()
    if period is None:
        raise ReportingError("no indicator values yet")
    prepare(period)
    out = []
    for rec in ReportDelivery.objects.exclude(status=ReportDelivery.Status.DELIVERED).order_by("period"):
        deliver(rec, url=url, token=token, sleep=sleep)
        out.append(rec)
    return out
