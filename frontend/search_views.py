"""The search box's endpoint: units, facilities and record codes the user may see."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from gis_server.context import page_language
from layers.search import search_features


@require_GET
def search(request):
    """GET /api/search?q=…&limit=…: JSON, best match first; a bad q or limit is a 400."""
    lang = page_language()
    found = search_features(q=request.GET.get("q"), user=request.user, limit=request.GET.get("limit"), lang=lang)
    return JsonResponse({"q": request.GET.get("q"), "results": [r.as_dict() for r in found]})
