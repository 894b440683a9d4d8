"""Portal endpoints beside /ogc: history and restore, photos, exports, API tokens, citizen
report status. (Features themselves are only read and written through /ogc.) Errors are
raised as gis_server.errors exceptions and answered in the one JSON shape."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from gis_server.context import page_language
from gis_server.errors import BadRequest, Conflict, NotFound, Unauthorized
from gis_server.models import ApiToken
from layers import editing, history, photos
from layers.access import editing_districts, readable_layer
from layers.exporting import FORMATS, export_job_for, export_start
from layers.models import ExportJob
from layers.query import Filters, check_bbox
from layers.selectors import layer_time_dimensions
from operations.domains.citizen import possible_duplicates, public_status

EXPORT_PARAMS = {"format", "bbox", "datetime", "q"}


def _layer_or_404(request, layer_id):
    spec = readable_layer(request.user, layer_id)
    if spec is None:
        raise NotFound(f"layer {layer_id!r} not found")
    return spec


@require_GET
def layer_time(request, layer_id: str):
    """A time map's choices for a layer: indicators, their periods and the default period."""
    spec = _layer_or_404(request, layer_id)
    if spec.time_map is None:
        raise NotFound(f"layer {layer_id!r} has no time map")
    return JsonResponse(layer_time_dimensions(spec=spec, lang=page_language()))


def _logged_in(request, what: str) -> None:
    if not request.user.is_authenticated:
        raise Unauthorized(f"log in to {what}")


@require_GET
def feature_history(request, layer_id: str, fid: str):
    _logged_in(request, "see a feature's history")
    spec = _layer_or_404(request, layer_id)
    events = history.feature_history(spec=spec, fid=editing.parse_id(fid))
    return JsonResponse({"layer": spec.id, "id": int(fid), "events": events,
                         "can_restore": editing_districts(request.user, spec) is not None})


@require_POST
def feature_restore(request, layer_id: str, fid: str):
    _logged_in(request, "restore a feature")
    spec = _layer_or_404(request, layer_id)
    try:
        event = int(json.loads(request.body or b"{}").get("event"))
    except (ValueError, TypeError, AttributeError, json.JSONDecodeError):
        raise BadRequest('send {"event": <event id>}') from None
    history.feature_restore(spec=spec, user=request.user, fid=editing.parse_id(fid), event_id=event)
    return JsonResponse({"restored": int(fid), "from_event": event})


def feature_photos(request, layer_id: str, fid: str):
    spec = _layer_or_404(request, layer_id)
    fid_int = editing.parse_id(fid)
    if request.method == "POST":
        _logged_in(request, "add photos")
        saved = photos.feature_photos_add(spec=spec, fid=fid_int, files=request.FILES.getlist("photo"),
                                          user=request.user)
        return JsonResponse({"photos": [photos.photo_url(p) for p in saved]}, status=201)
    return JsonResponse({"photos": photos.feature_photos(spec=spec, fid=fid_int)})


@require_GET
def feature_photo(request, layer_id: str, fid: str, photo_id: int):
    """Photos are served through the layer's access rule, never from a public media folder."""
    spec = _layer_or_404(request, layer_id)
    photo, content_type = photos.feature_photo(spec=spec, fid=editing.parse_id(fid), photo_id=photo_id)
    name = photo.image.name.rsplit("/", 1)[-1]
    response = FileResponse(photo.image.open("rb"), content_type=content_type,
                            as_attachment=content_type == "application/octet-stream", filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ------------------------------------------------------------------------------ exports
def _export_filters(request, spec) -> Filters:
    g = request.GET
    fields = {f.name for f in spec.fields}
    unknown = set(g) - fields - EXPORT_PARAMS
    if unknown:
        raise BadRequest(f"unknown parameter(s): {', '.join(sorted(unknown))}")
    return Filters(bbox=tuple(check_bbox(g["bbox"])) if g.get("bbox") else (), datetime=g.get("datetime") or None,
                   q=g.get("q") or None, properties=tuple((k, v) for k, v in g.items() if k in fields))


def export(request, layer_id: str):
    spec = _layer_or_404(request, layer_id)
    fmt = request.GET.get("format", "gpkg")
    name, content, job = export_start(spec=spec, fmt=fmt, filters=_export_filters(request, spec), user=request.user)
    if job is None:
        response = HttpResponse(content, content_type=FORMATS[fmt][1])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return JsonResponse({"job": str(job.pk), "status": job.status, "total": job.total,
                         "status_url": f"/export/jobs/{job.pk}"}, status=202)


def export_job(request, job_id):
    job = export_job_for(job_id=job_id, user=request.user)
    if job is None:
        raise NotFound("no such export")
    if request.GET.get("download"):
        if job.status != ExportJob.Status.DONE:
            raise Conflict("the export is not finished yet")
        path = Path(job.path)
        return FileResponse(open(path, "rb"), as_attachment=True, filename=path.name,
                            content_type=FORMATS[job.format][1])
    done = job.status == ExportJob.Status.DONE
    return JsonResponse({"job": str(job.pk), "status": job.status, "done": job.done, "total": job.total,
                         "error": job.error or None, "download": f"/export/jobs/{job.pk}?download=1" if done else None})


# ------------------------------------------------------------------------------ tokens
@login_required
def tokens(request):
    new_key = None
    if request.method == "POST":
        if "revoke" in request.POST:
            ApiToken.revoke_for(user=request.user, token_id=request.POST.get("revoke"))
            return redirect("tokens")
        _, new_key = ApiToken.issue(request.user, (request.POST.get("name") or "").strip()[:100] or "QGIS")
    return render(request, "frontend/tokens.html", {
        "tokens": ApiToken.objects.filter(user=request.user), "new_key": new_key})


# ------------------------------------------------------------------------------ citizen reports
@require_GET
def report_status(request, code: str):
    """The public status of a citizen report: anyone with its code, no personal data."""
    status = public_status(code)
    if status is None:
        raise NotFound(f"no report {code!r}")
    if request.GET.get("f") == "json" or "json" in request.headers.get("Accept", ""):
        return JsonResponse(status)
    return render(request, "frontend/report_status.html", {"r": status})


@require_GET
def report_duplicates(request):
    """Reports of the same category within 50 m and 7 days of a new one (staff)."""
    _logged_in(request, "check for duplicates")
    try:
        lon, lat = float(request.GET["lon"]), float(request.GET["lat"])
        at = datetime.fromisoformat(request.GET["at"]) if request.GET.get("at") else timezone.now()
        category = request.GET["category"]
    except (KeyError, ValueError):
        raise BadRequest("give category, lon, lat and optionally at (ISO date-time)") from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.get_current_timezone())
    return JsonResponse({"duplicates": possible_duplicates(category=category, lon=lon, lat=lat, at=at)})
