"""Alerts for operators: the open list as JSON (the wall polls it) and the actions
(acknowledge, resolve, snooze), whose answers carry the new open counts."""

import json

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gis_server.errors import BadRequest, Unauthorized
from operations.alerts import alert_act, alerts_for_user


def _signed_in(request) -> None:
    if not request.user.is_authenticated:
        raise Unauthorized(_("Hãy đăng nhập để xem và xử lý cảnh báo."))


def _hours(request):
    """`hours` from a form body or a JSON object (checked by the service)."""
    if request.content_type != "application/json":
        return request.POST.get("hours")
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        raise BadRequest(_("Nội dung JSON không hợp lệ.")) from None
    return body.get("hours") if isinstance(body, dict) else None


@require_GET
def open_alerts(request):
    _signed_in(request)
    r = JsonResponse(alerts_for_user(user=request.user).as_json())
    r["Cache-Control"] = "no-store"
    return r


@require_POST
def alert_action(request, pk: int, action: str):
    _signed_in(request)
    hours = _hours(request) if action == "snooze" else None
    return JsonResponse(alert_act(alert_id=pk, action=action, user=request.user, hours=hours).as_json())
