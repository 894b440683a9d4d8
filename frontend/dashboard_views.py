"""The operator's dashboard, a view per domain, the backlog drill-down and the alerts panel."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from gis_server.auth import unauthorized
from layers import dashboard
from layers.access import _groups, is_administrator, visible_layers
from layers.domains import DOMAINS
from layers.models import AdminUnit, Alert


def _lang() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def _district(request) -> int | None:
    code = request.GET.get("district")
    if not code:
        return None
    unit = AdminUnit.objects.filter(code=code, level="district").first()
    if unit is None:
        raise Http404(f"no district {code!r}")
    return unit.id


def _context(request):
    return {"districts": AdminUnit.objects.filter(level="district").order_by("name"),
            "district": request.GET.get("district", ""), "lang": _lang()}


@login_required
def overview(request):
    readable = {s.id for s in visible_layers(request.user)}
    cards = dashboard.cards(lang=_lang(), readable=readable, district=_district(request))
    alerts = Alert.objects.filter(resolved_at__isnull=True).order_by("-severity", "-opened_at")[:100] \
        if "alerts" in readable else []
    return render(request, "frontend/dashboard.html", {
        **_context(request), "cards": cards, "alerts": alerts, "can_handle": can_handle_alerts(request.user)})


@login_required
def domain_view(request, domain: str):
    if domain not in dashboard.CARDS:
        raise Http404(f"no domain {domain!r}")
    readable = {s.id for s in visible_layers(request.user)}
    layers = [lyr for lyr in dashboard.CARDS[domain][1] if lyr in readable]
    if not layers:
        raise Http404(f"no domain {domain!r}")
    district = _district(request)
    months = min(max(int(request.GET.get("months") or 24), 1), 24) if (request.GET.get("months") or "24").isdigit() else 24
    card = next(c for c in dashboard.cards(lang=_lang(), readable=readable, district=district) if c.domain == domain)
    specs = [s.public_dict() for s in visible_layers(request.user) if s.id in layers]
    vi, en = DOMAINS[domain]
    return render(request, "frontend/domain.html", {
        **_context(request), "domain": domain, "title": en if _lang() == "en" else vi, "card": card,
        "months": months, "ranking": dashboard.ranking(domain, district=district),
        "view_config": {"layers": specs, "series": dashboard.series(domain, district=district, months=months),
                        "lang": _lang(), "ogc": "/ogc", "district": request.GET.get("district") or None,
                        "since": _months_ago(months)},
    })


def _months_ago(months: int) -> str:
    today = timezone.now().date().replace(day=1)
    y, m = divmod(today.year * 12 + today.month - 1 - months, 12)
    return f"{y:04d}-{m + 1:02d}-01"


@login_required
def unit_dossiers(request, code: str):
    unit = AdminUnit.objects.filter(code=code).first()
    if unit is None:
        raise Http404(f"no unit {code!r}")
    return render(request, "frontend/dossiers.html", {
        **_context(request), "unit": unit, "dossiers": dashboard.overdue_dossiers(unit_code=code)})


def can_handle_alerts(user) -> bool:
    return user.is_authenticated and (is_administrator(user) or bool(_groups(user) & {"operator", "editor"}))


@require_POST
def alert_action(request, pk: int, action: str):
    if not request.user.is_authenticated:
        return unauthorized("log in to handle alerts")
    if not can_handle_alerts(request.user):
        return JsonResponse({"description": "operators handle alerts"}, status=403)
    if action not in ("acknowledge", "resolve"):
        return JsonResponse({"description": "action must be acknowledge or resolve"}, status=400)
    alert = Alert.objects.filter(pk=pk).first()
    if alert is None:
        return JsonResponse({"description": f"no alert {pk}"}, status=404)
    now = timezone.now()
    if action == "acknowledge" and alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = now, request.user
    elif action == "resolve" and alert.resolved_at is None:
        alert.resolved_at, alert.resolved_by = now, request.user
        if alert.acknowledged_at is None:
            alert.acknowledged_at, alert.acknowledged_by = now, request.user
    alert.save()
    return JsonResponse({"id": alert.pk, "acknowledged_at": alert.acknowledged_at, "resolved_at": alert.resolved_at,
                         "by": request.user.get_username()}, json_dumps_params={"default": str})




@login_required
def domain_briefing(request, domain: str):
    """Download a standalone HTML briefing map of a domain (opens offline)."""
    from django.http import HttpResponse

    from layers.briefing import domain_briefing as build

    readable = {s.id for s in visible_layers(request.user)}
    if domain not in dashboard.CARDS or not any(lyr in readable for lyr in dashboard.CARDS[domain][1]):
        raise Http404(f"no domain {domain!r}")
    page = build(domain=domain, user=request.user, lang=_lang(), district=_district(request))
    r = HttpResponse(page, content_type="text/html; charset=utf-8")
    r["Content-Disposition"] = f'attachment; filename="briefing-{domain}-{timezone.localdate():%Y%m%d}.html"'
    return r


@login_required
def report_deliveries(request):
    """The delivery log of upward reports (staff)."""
    from layers.models import ReportDelivery

    if not (request.user.is_staff or is_administrator(request.user)):
        raise Http404("staff only")
    return render(request, "frontend/deliveries.html", {"deliveries": ReportDelivery.objects.all()[:120]})


@login_required
def data_supply(request):
    """Per department: which of its layers and indicators are current, late or incomplete."""
    from layers.supply import by_department

    return render(request, "frontend/supply.html", {"groups": by_department()})
