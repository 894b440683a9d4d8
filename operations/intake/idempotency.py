"""The push API's `Idempotency-Key`: the first successful answer under a client's key is kept
with a fingerprint of the request, so a resend (after a timeout, a dropped connection) gets
the same answer and stores nothing new; the same key with another request is refused.

The key is claimed by inserting its row in the same transaction as the store: a concurrent
request with the same key waits on the unique constraint until the first one commits (and then
replays its answer, or stores itself when the first was refused: a refused request is not
kept under its key)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gis_server.errors import ApiError, BadRequest, InvalidValues
from layers.models import IntakeRequest

MAX_KEY_LENGTH = 100
HEADER = "Idempotency-Key"


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict
    replayed: bool = False


def idempotency_key(value: str | None) -> str | None:
    """The header's key, or None when absent or blank; BadRequest when too long."""
    key = (value or "").strip()
    if not key:
        return None
    if len(key) > MAX_KEY_LENGTH:
        raise BadRequest(
            _("%(header)s dài tối đa %(n)s ký tự.") % {"header": HEADER, "n": MAX_KEY_LENGTH},
            {HEADER: _("dài hơn %(n)s ký tự") % {"n": MAX_KEY_LENGTH}},
        )
    return key


def request_fingerprint(*, dataset: str, payload) -> str:
    """sha256 of the data set and the parsed body (key order and spacing do not count)."""
    canonical = json.dumps({"dataset": dataset, "body": payload}, sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _claim(*, user, key: str, dataset: str, fingerprint: str) -> tuple[IntakeRequest, bool]:
    """The key's row, locked: (the stored one, False) or (a new placeholder, True)."""
    found = IntakeRequest.objects.select_for_update().filter(user=user, key=key).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():  # a savepoint: a lost race leaves the outer transaction usable
            return IntakeRequest.objects.create(user=user, key=key, dataset=dataset, fingerprint=fingerprint,
                                                status=0, response={}), True
    except IntegrityError:  # a concurrent request with the key committed first
        return IntakeRequest.objects.select_for_update().get(user=user, key=key), False


def idempotent_store(*, user, key: str | None, dataset: str, payload, store: Callable[[], tuple[int, dict]]) -> Answer:
    """Run `store` (→ status, body) once per user and key; a resend of the same request gets
    the stored answer, another request under the same key InvalidValues. Without a key, `store`
    simply runs."""
    if key is None:
        return Answer(*store())
    fingerprint = request_fingerprint(dataset=dataset, payload=payload)
    refused: ApiError | None = None
    with transaction.atomic():
        record, created = _claim(user=user, key=key, dataset=dataset, fingerprint=fingerprint)
        if not created:
            if record.fingerprint != fingerprint:
                message = _("Idempotency-Key đã được dùng cho một yêu cầu khác; hãy dùng khóa mới cho yêu cầu mới.")
                raise InvalidValues(message, [{"code": "idempotency_key_reused", "cell": HEADER, "message": message}])
            return Answer(record.status, record.response, replayed=True)
        try:
            status, body = store()  # its own writes are all or nothing (its own transaction)
        except ApiError as exc:
            # a refused request is not remembered, but its trace in the intake log is kept
            record.delete()
            refused = exc
        else:
            record.status, record.response = status, body
            record.save(update_fields=["status", "response"])
    if refused is not None:
        raise refused
    return Answer(status, body)
