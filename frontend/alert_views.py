"""Alert actions (acknowledge, resolve) for operators."""

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from gis_server.errors import Unauthorized
from operations.alerts import alert_act


@require_POST
def alert_action(request, pk: int, action: str):
    if not request.user.is_authenticated:
        raise Unauthorized("log in to handle alerts")
    alert = alert_act(alert_id=pk, action=action, user=request.user)
    return JsonResponse({"id": alert.pk, "acknowledged_at": alert.acknowledged_at, "resolved_at": alert.resolved_at,
                         "by": request.user.get_username()}, json_dumps_params={"default": str})
