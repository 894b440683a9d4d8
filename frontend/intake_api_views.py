"""The push API of department data (/api/datasets/…): the data sets a caller may supply, their
values per period, storing values (with Idempotency-Key), approval, reopening, deletion and
the values' history. JSON in and out; a token (`Authorization: Token …`) or the session;
errors raised as gis_server.errors and answered in the one shape. Described in /ogc/openapi
(operations/intake/openapi.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from django.http import JsonResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gis_server.errors import BadRequest, Unauthorized
from operations.intake import history
from operations.intake.catalogue import get_dataset
from operations.intake.idempotency import HEADER, idempotency_key, idempotent_store
from operations.intake.periods import parse_period, period_code
from operations.intake.scopes import require_supplier, suppliable
from operations.intake.services import submission_delete, submission_reopen, submissions_approve, values_store
from operations.intake.spec import DataSet
from operations.intake.validation import RawValue

PUSH_KEYS = {"period", "values", "submit", "confirm_outliers"}
VALUE_KEYS = {"unit", "element", "value", "period"}


# ----------------------------------------------------------------------------- parsing
def _logged_in(request) -> None:
    if not request.user.is_authenticated:
        raise Unauthorized(_("Hãy đăng nhập hoặc gửi mã truy cập (Authorization: Token …)."))


def _dataset(request, code: str) -> tuple[DataSet, frozenset[int] | None]:
    """The data set and the caller's districts in it: 401, 404 or 403 otherwise."""
    _logged_in(request)
    ds = get_dataset(code)
    return ds, require_supplier(request.user, ds)


def _refused(where: str, problem: str) -> BadRequest:
    return BadRequest(f"{where}: {problem}", {where: problem})


def _body(request) -> dict:
    try:
        payload = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        raise _refused("body", _("nội dung yêu cầu không phải JSON hợp lệ")) from None
    if not isinstance(payload, dict):
        raise _refused("body", _("nội dung yêu cầu phải là một đối tượng JSON"))
    return payload


def _period(ds: DataSet, text, where: str) -> date:
    if isinstance(text, bool) or not isinstance(text, str | int):
        raise _refused(where, _("kỳ báo cáo phải là chuỗi, ví dụ “2026-11”"))
    try:
        return parse_period(ds.period_type, str(text))
    except BadRequest as exc:
        raise _refused(where, exc.description) from None


def _flag(payload: dict, name: str, default: bool) -> bool:
    value = payload.get(name, default)
    if not isinstance(value, bool):
        raise _refused(name, _("phải là true hoặc false"))
    return value


def _text(value, where: str, required: bool = True) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _refused(where, _("thiếu, hoặc không phải chuỗi"))
    text = str(value).strip()
    if required and not text:
        raise _refused(where, _("không được để trống"))
    return text


def _unknown(keys, allowed: set[str], where: str = "") -> None:
    extra = sorted(set(keys) - allowed)
    if extra:
        raise _refused(f"{where}{extra[0]}", _("trường không được hỗ trợ (được dùng: %(keys)s)")
                       % {"keys": ", ".join(sorted(allowed))})


def _number_or_text(value):
    """A JSON integer too large for a float is passed on as text (validation then refuses it)."""
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            float(value)
        except OverflowError:
            return str(value)
    return value


@dataclass
class Push:
    raws: list[RawValue]
    submit: bool
    confirm_outliers: bool


def _push(ds: DataSet, payload: dict) -> Push:
    """The body of a push: a period, values with unit, element, value (and their own period)."""
    _unknown(payload, PUSH_KEYS)
    period = _period(ds, payload["period"], "period") if payload.get("period") is not None else None
    values = payload.get("values")
    if not isinstance(values, list) or not values:
        raise _refused("values", _("cần một danh sách giá trị, không rỗng"))
    raws = []
    for i, item in enumerate(values):
        where = f"values[{i}]"
        if not isinstance(item, dict):
            raise _refused(where, _("mỗi giá trị phải là một đối tượng {unit, element, value}"))
        _unknown(item, VALUE_KEYS, f"{where}.")
        if "value" not in item:
            raise _refused(f"{where}.value", _("thiếu giá trị"))
        own = item.get("period")
        start = _period(ds, own, f"{where}.period") if own is not None else period
        if start is None:
            raise _refused("period", _("thiếu kỳ báo cáo (chung, hoặc riêng ở %(where)s)") % {"where": where})
        raws.append(RawValue(_text(item.get("unit"), f"{where}.unit"), _text(item.get("element"), f"{where}.element"),
                             _number_or_text(item["value"]), start, where))
    return Push(raws, _flag(payload, "submit", True), _flag(payload, "confirm_outliers", False))


# ------------------------------------------------------------------------------- views
@require_GET
def datasets(request):
    _logged_in(request)
    mine = suppliable(request.user)
    scopes = {ds.code: require_supplier(request.user, ds) for ds in mine}
    return JsonResponse({"datasets": history.dataset_summaries(datasets=mine, scopes=scopes)})


@require_GET
def dataset(request, code: str):
    ds, districts = _dataset(request, code)
    return JsonResponse(history.dataset_detail(ds=ds, districts=districts))


@require_http_methods(["GET", "POST"])
def dataset_values(request, code: str):
    ds, districts = _dataset(request, code)
    if request.method == "GET":
        period = _period(ds, request.GET.get("period", ""), "period")
        unit = request.GET.get("unit") or None
        return JsonResponse(history.period_state(ds=ds, districts=districts, period=period, unit=unit))
    payload = _body(request)
    push = _push(ds, payload)
    key = idempotency_key(request.headers.get(HEADER))

    def store() -> tuple[int, dict]:
        result = values_store(ds=ds, raws=push.raws, user=request.user, channel="api", submit=push.submit,
                              confirm_outliers=push.confirm_outliers)
        return 201, result.as_json()

    answer = idempotent_store(user=request.user, key=key, dataset=ds.code, payload=payload, store=store)
    response = JsonResponse(answer.body, status=answer.status)
    if answer.replayed:
        response["Idempotent-Replayed"] = "true"
    return response


@require_POST
def approve(request, code: str):
    ds, districts = _dataset(request, code)
    payload = _body(request)
    _unknown(payload, {"period", "units"})
    period = _period(ds, payload.get("period"), "period")
    units = payload.get("units")
    if units is not None and not isinstance(units, list):
        raise _refused("units", _("cần một danh sách mã đơn vị"))
    units = None if units is None else [_text(u, f"units[{i}]") for i, u in enumerate(units)]
    n = submissions_approve(ds=ds, period=period, user=request.user, units=units)
    state = history.period_state(ds=ds, districts=districts, period=period, only=units)
    return JsonResponse({"dataset": ds.code, "period": state["period"], "approved": n,
                         "submissions": [s for s in state["submissions"] if s["status"] == "approved"]})


@require_POST
def reopen(request, code: str):
    ds, _districts = _dataset(request, code)
    payload = _body(request)
    _unknown(payload, {"unit", "period", "reason"})
    period = _period(ds, payload.get("period"), "period")
    unit = _text(payload.get("unit"), "unit")
    reason = payload.get("reason")
    if not isinstance(reason, str):
        raise _refused("reason", _("hãy ghi lý do mở lại"))
    sub = submission_reopen(ds=ds, unit=unit, period=period, user=request.user, reason=reason)
    return JsonResponse(history.submission_state(ds=ds, sub=sub))


@require_http_methods(["DELETE"])
def submission(request, code: str, unit: str, period: str):
    ds, _districts = _dataset(request, code)
    start = _period(ds, period, "period")
    submission_delete(ds=ds, unit=unit, period=start, user=request.user)
    return JsonResponse({"dataset": ds.code, "unit": unit, "period": period_code(ds.period_type, start),
                         "deleted": True})


@require_GET
def value_history(request, code: str):
    ds, districts = _dataset(request, code)
    g = request.GET
    period = _period(ds, g["period"], "period") if g.get("period") else None
    try:
        limit = min(max(int(g.get("limit", history.HISTORY_LIMIT)), 1), history.HISTORY_MAX)
    except ValueError:
        raise _refused("limit", _("phải là số nguyên")) from None
    return JsonResponse(history.value_history(ds=ds, districts=districts, unit=g.get("unit") or None,
                                              period=period, limit=limit))


urlpatterns = [
    path("api/datasets/", datasets, name="intake-datasets"),
    path("api/datasets/<str:code>/", dataset, name="intake-dataset"),
    path("api/datasets/<str:code>/values", dataset_values, name="intake-values"),
    path("api/datasets/<str:code>/approve", approve, name="intake-approve"),
    path("api/datasets/<str:code>/reopen", reopen, name="intake-reopen"),
    path("api/datasets/<str:code>/submissions/<str:unit>/<str:period>", submission, name="intake-submission"),
    path("api/datasets/<str:code>/history", value_history, name="intake-history"),
]
