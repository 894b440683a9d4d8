"""The operations wall: a full-screen dark page for the operations-room screen (map, domain
cards, open-alert feed, clock) and the JSON it polls to update itself in place."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gis_server.context import page_language
from gis_server.errors import Unauthorized
from layers.access import visible_layers
from operations import dashboard
from operations.alerts import open_alerts
from operations.domains import DOMAINS

REFRESH_SECONDS = 30
MIN_ROTATE_SECONDS, MAX_ROTATE_SECONDS = 10, 3600
FIGURES_SHOWN = 2  # a wall card is compact: the domain's first key figures
ALERTS_SENT = 40  # the feed shows what fits and counts the rest
RECENT_DAYS = 30  # "recent" accidents on the live map
# the live layers of the province view; each domain view adds its own card layers
LIVE_LAYERS = ("admin-districts", "alerts", "traffic-accidents", "citizen-reports")
# the words wall.js writes (Vietnamese by default; English in the English UI)
TEXTS = {
    "updated": _("Cập nhật lúc"), "stale": _("Mất kết nối, đang thử lại. Số liệu lúc"),
    "critical": pgettext_lazy("wall count", "nghiêm trọng"), "warning": pgettext_lazy("wall count", "cảnh báo"),
    "none": _("Không có cảnh báo đang mở."), "more": _("và {n} cảnh báo khác"), "acknowledged": _("đã tiếp nhận"),
    "province": _("Toàn tỉnh"), "latest": _("kỳ gần nhất"), "recent": _("{n} ngày qua"),
    "open": pgettext_lazy("wall legend", "đang mở"), "moreFigures": _("+{n} chỉ tiêu"),
}


def _rotate(request) -> int:
    """?rotate=<seconds> cycles the map through the domain views; absent or malformed: no rotation."""
    raw = request.GET.get("rotate") or ""
    if not (raw.isascii() and raw.isdigit()):
        return 0
    return min(max(int(raw), MIN_ROTATE_SECONDS), MAX_ROTATE_SECONDS)


def figure_json(f) -> dict:
    """One key figure: value (and its text in the page's language, where the card formats it),
    unit, period, and its own state where it has thresholds."""
    return {"label": str(f.label), "value": None if f.value is None else float(f.value), "text": f.text,
            "unit": str(f.unit), "period": str(f.period), "state": f.state, "partial": f.partial}


def card_json(card) -> dict:
    """One domain card as the wall shows it: title, state in colour and word, its first figures."""
    return {"domain": card.domain, "title": str(card.title), "state": card.state,
            "state_label": card.state_label,
            "figures": [figure_json(f) for f in card.figures[:FIGURES_SHOWN]],
            "more": max(len(card.figures) - FIGURES_SHOWN, 0),
            "url": card.url}


def alerts_json(found) -> dict:
    """The open alerts (operations.alerts.OpenAlerts: worst first, then oldest) and their counts."""
    return {"alerts": [row.as_json() for row in list(found)[:ALERTS_SENT]], "counts": found.counts.as_json()}


def wall_payload(*, readable_ids: set[str], lang: str) -> dict:
    """What the wall shows and refreshes: the cards, the open alerts and their counts."""
    now = timezone.now()
    found = open_alerts(readable=readable_ids, lang=lang)
    return {"generated_at": now.isoformat(), "cards": [card_json(c) for c in dashboard.domain_cards(lang=lang, readable=readable_ids)],
            **(alerts_json(found) if found is not None else {"alerts": None, "counts": None})}


def wall_config(*, readable: list, lang: str, rotate: int) -> dict:
    """What wall.js needs: the layers the map may draw (only readable ones, none too big for the
    province's zoom), the live ones with their queries, each domain's view, the words it writes."""
    ids = {s.id for s in readable}
    small = {s.id for s in readable if not s.min_zoom}
    since = (timezone.localdate() - timedelta(days=RECENT_DAYS)).isoformat()
    queries = {"admin-districts": "limit=100&properties=name,code",
               "alerts": "limit=1000&" + urlencode({"filter-lang": "cql2-text", "filter": "resolved_at IS NULL"}),
               "traffic-accidents": f"limit=2000&datetime={since}/..",
               "citizen-reports": "limit=2000&" + urlencode(
                   {"filter-lang": "cql2-text", "filter": "status NOT IN ('resolved', 'rejected')"})}
    recent = str(TEXTS["recent"]).format(n=RECENT_DAYS)
    notes = {"alerts": str(TEXTS["open"]), "traffic-accidents": recent, "citizen-reports": str(TEXTS["open"])}
    domains = [{"id": d.id, "title": d.title(lang), "layers": [lyr for lyr in d.card_layers if lyr in small]}
               for d in DOMAINS if dashboard.visible_card_layers(d, ids)]
    wanted = set(LIVE_LAYERS) | {lyr for d in domains for lyr in d["layers"]}
    layers = [s.public_dict() for s in readable if s.id in wanted and s.id in small]
    return {"layers": layers, "live": [lyr for lyr in LIVE_LAYERS if lyr in small], "domains": domains,
            "queries": {k: v for k, v in queries.items() if k in small},
            "notes": {**{s["id"]: str(TEXTS["latest"]) for s in layers if s["time_field"]}, **notes},
            "since": since, "lang": lang, "ogc": "/ogc", "api": "/api/wall", "refresh": REFRESH_SECONDS,
            "rotate": rotate, "time_zone": settings.TIME_ZONE, "texts": {k: str(v) for k, v in TEXTS.items()}}


@login_required
def wall(request):
    readable, lang = visible_layers(request.user), page_language()
    return render(request, "frontend/wall.html", {
        "wall_config": wall_config(readable=readable, lang=lang, rotate=_rotate(request)),
        "wall_data": wall_payload(readable_ids={s.id for s in readable}, lang=lang)})


def wall_data(request):
    """GET /api/wall: the cards, the open alerts and when they were computed (JSON)."""
    if not request.user.is_authenticated:
        raise Unauthorized("log in to see the operations wall")
    payload = wall_payload(readable_ids={s.id for s in visible_layers(request.user)}, lang=page_language())
    return JsonResponse(payload, headers={"Cache-Control": "no-store"})
