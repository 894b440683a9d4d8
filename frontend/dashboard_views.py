"""The operator's dashboard, a view per domain, the backlog drill-down and the alerts panel."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gis_server.context import page_language
from gis_server.errors import Unauthorized
from gis_server.roles import is_staff_member
from layers.access import visible_layers
from layers.models import AdminUnit, ReportDelivery
from operations import dashboard
from operations.alerts import alert_act, can_handle_alerts, open_alerts
from operations.briefing import domain_briefing as build_briefing
from operations.domains.public_services import unit_overdue_dossiers
from operations.supply import by_department

DELIVERIES_SHOWN = 120


def _readable(request) -> set[str]:
    return {s.id for s in visible_layers(request.user)}


def _district(request) -> int | None:
    try:
        return dashboard.district_id(request.GET.get("district"))
    except LookupError as exc:
        raise Http404(str(exc)) from None


def _domain_or_404(domain: str, readable: set[str]):
    d = dashboard.readable_domain(domain_id=domain, readable=readable)
    if d is None:
        raise Http404(f"no domain {domain!r}")
    return d


def _months(request) -> int:
    raw = request.GET.get("months") or ""
    if not (raw.isascii() and raw.isdigit()):  # "²" is a digit to str.isdigit, not to int()
        return dashboard.MAX_MONTHS
    return min(max(int(raw), 1), dashboard.MAX_MONTHS)


def _context(request):
    return {"districts": dashboard.districts(), "district": request.GET.get("district", ""), "lang": page_language()}


@login_required
def overview(request):
    readable = _readable(request)
    return render(request, "frontend/dashboard.html", {
        **_context(request), "can_handle": can_handle_alerts(request.user), "alerts": open_alerts(readable=readable),
        "cards": dashboard.domain_cards(lang=page_language(), readable=readable, district=_district(request))})


@login_required
def domain_view(request, domain: str):
    visible = visible_layers(request.user)
    d = _domain_or_404(domain, {s.id for s in visible})
    district, months, lang = _district(request), _months(request), page_language()
    card = dashboard.domain_card(domain=d, lang=lang, readable={s.id for s in visible}, district=district)
    specs = [s.public_dict() for s in visible if s.id in card.layers]
    return render(request, "frontend/domain.html", {
        **_context(request), "domain": d.id, "title": d.title(lang), "card": card, "months": months,
        "ranking": dashboard.domain_ranking(domain=d, district=district),
        "view_config": {"layers": specs, "series": dashboard.domain_series(domain=d, district=district, months=months),
                        "lang": lang, "ogc": "/ogc", "district": request.GET.get("district") or None,
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
        **_context(request), "unit": unit, "dossiers": unit_overdue_dossiers(unit_code=code)})


@login_required
def domain_briefing(request, domain: str):
    """Download a standalone HTML briefing map of a domain (opens offline)."""
    d = _domain_or_404(domain, _readable(request))
    page = build_briefing(domain=d, user=request.user, lang=page_language(), district=_district(request))
    r = HttpResponse(page, content_type="text/html; charset=utf-8")
    r["Content-Disposition"] = f'attachment; filename="briefing-{d.id}-{timezone.localdate():%Y%m%d}.html"'
    return r


@login_required
def report_deliveries(request):
    """The delivery log of upward reports (staff)."""
    if not is_staff_member(request.user):
        raise Http404("staff only")
    return render(request, "frontend/deliveries.html", {"deliveries": ReportDelivery.objects.all()[:DELIVERIES_SHOWN]})


@login_required
def data_supply(request):
    """Per department: which of its layers and indicators are current, late or incomplete."""
    return render(request, "frontend/supply.html", {"groups": by_department(readable=_readable(request))})
