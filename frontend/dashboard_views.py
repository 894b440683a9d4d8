"""The operator's dashboard, a view per domain, the drill-down to a unit and its records, and the
alerts panel."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from gis_server.context import page_language
from gis_server.errors import NotFound
from gis_server.roles import is_staff_member
from layers.access import visible_layers
from layers.models import ReportDelivery
from operations import dashboard
from operations.alerts import can_handle_alerts, open_alerts
from operations.briefing import domain_briefing as build_briefing
from operations.intake.completeness import department_ranking
from operations.supply import by_department, dataset_detail

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


def _labels() -> dict:
    """The words domain.js writes (popups, chart, table)."""
    return {"show_on_map": str(_("Xem trên bản đồ")), "partial": str(_("chưa hết kỳ")),
            "no_data": str(_("Chưa có số liệu trong kỳ này"))}


@login_required
def overview(request):
    readable = _readable(request)
    return render(request, "frontend/dashboard.html", {
        **_context(request), "can_handle": can_handle_alerts(request.user), "alerts": open_alerts(readable=readable),
        "cards": dashboard.domain_cards(lang=page_language(), readable=readable, district=_district(request),
                                        district_code=request.GET.get("district") or None)})


@login_required
def domain_view(request, domain: str):
    visible = visible_layers(request.user)
    readable = {s.id for s in visible}
    d = _domain_or_404(domain, readable)
    district, months, lang = _district(request), _months(request), page_language()
    code = request.GET.get("district") or None
    card = dashboard.domain_card(domain=d, lang=lang, readable=readable, district=district, district_code=code)
    return render(request, "frontend/domain.html", {
        **_context(request), "domain": d.id, "title": d.title(lang), "card": card, "months": months,
        "ranking": dashboard.domain_ranking(domain=d, district=district),
        "series": (series := dashboard.domain_series(domain=d, district=district, months=months)),
        "view_config": _view_config(d, visible, card, series, lang, district=code, since=_months_ago(months)),
    })


def _view_config(d, visible, card, series, lang, **extra) -> dict:
    return {"layers": [s.public_dict() for s in visible if s.id in card.layers], "series": series, "lang": lang,
            "ogc": "/ogc", "labels": _labels(), "filters": [list(f) for f in d.map_filters], **extra}


@login_required
def unit_view(request, domain: str, code: str):
    """A domain in one district or commune: its card, chart, map and ranking of communes filtered
    to the unit, and the records behind the figures (each a link to the map)."""
    visible = visible_layers(request.user)
    readable = {s.id for s in visible}
    d = _domain_or_404(domain, readable)
    try:
        unit = dashboard.unit_by_code(code=code, domain=d)
    except LookupError as exc:
        raise Http404(str(exc)) from None
    months, lang = _months(request), page_language()
    card = dashboard.domain_card(domain=d, lang=lang, readable=readable, district=unit.id)
    series = dashboard.domain_series(domain=d, district=unit.id, months=months)
    return render(request, "frontend/unit.html", {
        "lang": lang, "domain": d.id, "title": d.title(lang), "unit": unit, "card": card, "months": months,
        "series": series, "records": dashboard.domain_records(domain=d, unit=unit, readable=readable),
        "ranking": dashboard.domain_ranking(domain=d, district=unit.id) if unit.level == "district" else None,
        "view_config": _view_config(d, visible, card, series, lang, since=_months_ago(months),
                                    unit={"code": unit.code, "level": unit.level, "bbox": list(unit.geom.extent)}),
    })


def _months_ago(months: int) -> str:
    today = timezone.now().date().replace(day=1)
    y, m = divmod(today.year * 12 + today.month - 1 - months, 12)
    return f"{y:04d}-{m + 1:02d}-01"


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
    """Per department: which of its data sets, layers and indicators are current, late or incomplete,
    and the departments ranked by completeness and timeliness over the last year."""
    return render(request, "frontend/supply.html", {"groups": by_department(readable=_readable(request)),
                                                    "ranking": department_ranking()})


@login_required
def data_supply_dataset(request, code: str):
    """One data set: which unit and which element is missing, since when; the last periods."""
    try:
        detail = dataset_detail(code)
    except NotFound:
        raise Http404(code) from None
    return render(request, "frontend/supply_dataset.html", {"d": detail})
