"""Portal endpoints beside /ogc: history and restore, photos, exports, API tokens.
(Features themselves are only read and written through /ogc.)"""

from __future__ import annotations

import json
import tempfile
import threading
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import close_old_connections, connection
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from gis_server.auth import unauthorized
from gis_server.models import ApiToken
from layers import editing, history
from layers.access import editing_districts, readable_layer
from layers.exporting import FORMATS, ExportError, count_matching, export_layer
from layers.models import ExportJob, FeaturePhoto
from ogc.validation import RequestProblem, check_bbox

SYNC_EXPORT_MAX = 20_000


def _error(status: int, description: str, **extra) -> JsonResponse:
    return JsonResponse({"description": description, **extra}, status=status)


def _layer_or_404(request, layer_id):
    spec = readable_layer(request.user, layer_id)
    return spec, (None if spec else _error(404, f"layer {layer_id!r} not found"))


@require_GET
def feature_history(request, layer_id: str, fid: str):
    if not request.user.is_authenticated:
        return unauthorized("log in to see a feature's history")
    spec, err = _layer_or_404(request, layer_id)
    if err:
        return err
    try:
        events = history.feature_history(spec=spec, fid=editing.parse_id(fid))
    except editing.EditError as exc:
        return _error(exc.status, exc.message)
    return JsonResponse({"layer": spec.id, "id": int(fid), "events": events,
                         "can_restore": editing_districts(request.user, spec) is not None})


@require_POST
def feature_restore(request, layer_id: str, fid: str):
    if not request.user.is_authenticated:
        return unauthorized("log in to restore a feature")
    spec, err = _layer_or_404(request, layer_id)
    if err:
        return err
    try:
        event = int(json.loads(request.body or b"{}").get("event"))
    except (ValueError, TypeError, json.JSONDecodeError):
        return _error(400, "send {\"event\": <event id>}")
    try:
        history.feature_restore(spec=spec, user=request.user, fid=editing.parse_id(fid), event_id=event)
    except editing.EditError as exc:
        return _error(exc.status, exc.message, errors=exc.errors)
    return JsonResponse({"restored": int(fid), "from_event": event})


def feature_photos(request, layer_id: str, fid: str):
    spec, err = _layer_or_404(request, layer_id)
    if err:
        return err
    try:
        fid_int = editing.parse_id(fid)
    except editing.EditError as exc:
        return _error(exc.status, exc.message)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return unauthorized("log in to add photos")
        if editing_districts(request.user, spec) is None:
            return _error(403, f"you may not edit layer {spec.id!r}")
        if editing.feature_etag(spec, fid_int) is None:
            return _error(404, f"item {fid} not found")
        files = request.FILES.getlist("photo")
        if not files:
            return _error(400, "send one or more image files in the 'photo' field")
        from PIL import Image, UnidentifiedImageError

        saved = []
        for f in files:
            if f.size > 15 * 1024 * 1024:
                return _error(400, f"{f.name}: larger than 15 MB")
            try:
                Image.open(f).verify()
            except (UnidentifiedImageError, OSError):
                return _error(400, f"{f.name}: not an image")
            f.seek(0)
            saved.append(FeaturePhoto.objects.create(layer=spec.id, feature_id=fid_int, image=f,
                                                     uploaded_by=request.user))
        return JsonResponse({"photos": [_photo_url(p) for p in saved]}, status=201)
    photos = FeaturePhoto.objects.filter(layer=spec.id, feature_id=fid_int).order_by("uploaded_at")
    return JsonResponse({"photos": [{"url": _photo_url(p), "at": p.uploaded_at.isoformat()} for p in photos]})


def _photo_url(p: FeaturePhoto) -> str:
    return f"/api/layers/{p.layer}/items/{p.feature_id}/photos/{p.pk}"


@require_GET
def feature_photo(request, layer_id: str, fid: str, photo_id: int):
    """Photos are served through the layer's access rule, never from a public media folder."""
    spec, err = _layer_or_404(request, layer_id)
    if err:
        return err
    photo = FeaturePhoto.objects.filter(layer=spec.id, feature_id=fid, pk=photo_id).first()
    if photo is None:
        return _error(404, "no such photo")
    return FileResponse(photo.image.open("rb"))


# ------------------------------------------------------------------------------ exports
def _filters(request, spec) -> dict:
    g = request.GET
    fields = {f.name for f in spec.fields}
    unknown = set(g) - fields - {"format", "bbox", "datetime", "q"}
    if unknown:
        raise RequestProblem(f"unknown parameter(s): {', '.join(sorted(unknown))}")
    return {"bbox": check_bbox(g["bbox"]) if g.get("bbox") else [], "datetime": g.get("datetime") or None,
            "q": g.get("q") or None, "properties": [(k, v) for k, v in g.items() if k in fields]}


def export(request, layer_id: str):
    spec, err = _layer_or_404(request, layer_id)
    if err:
        return err
    fmt = request.GET.get("format", "gpkg")
    if fmt not in FORMATS:
        return _error(400, f"format must be one of {', '.join(FORMATS)}")
    try:
        filters = _filters(request, spec)
        total = count_matching(spec, filters)
    except RequestProblem as exc:
        return _error(400, str(exc))
    except Exception as exc:  # provider errors carry a user message (bad filter values)
        if getattr(exc, "message", None):
            return _error(400, exc.message)
        raise
    if total <= SYNC_EXPORT_MAX:  # small: written in a temporary folder, sent, and gone
        with tempfile.TemporaryDirectory() as tmp:
            path = export_layer(spec=spec, fmt=fmt, filters=filters, out_dir=Path(tmp))
            content = path.read_bytes()
        response = HttpResponse(content, content_type=FORMATS[fmt][1])
        response["Content-Disposition"] = f'attachment; filename="{path.name}"'
        return response
    job = ExportJob.objects.create(user=request.user if request.user.is_authenticated else None,
                                   layer=spec.id, format=fmt, filters=filters, total=total)
    threading.Thread(target=_run_job, args=(job.pk, spec, fmt, filters), daemon=True).start()
    return JsonResponse({"job": str(job.pk), "status": "running", "total": total,
                         "status_url": f"/export/jobs/{job.pk}"}, status=202)


def _run_job(job_id, spec, fmt, filters) -> None:
    try:
        out = Path(settings.MEDIA_ROOT) / "exports" / str(job_id)
        path = export_layer(spec=spec, fmt=fmt, filters=filters, out_dir=out,
                            progress=lambda d, t: ExportJob.objects.filter(pk=job_id).update(done=d, total=t))
        ExportJob.objects.filter(pk=job_id).update(status="done", path=str(path))
    except (ExportError, Exception) as exc:  # the job records any failure for the user
        ExportJob.objects.filter(pk=job_id).update(status="failed", error=str(exc)[:2000])
    finally:
        close_old_connections()
        connection.close()


def export_job(request, job_id):
    job = ExportJob.objects.filter(pk=job_id).first()
    owner = job is not None and (job.user_id is None or job.user_id == getattr(request.user, "pk", None))
    if not owner:
        return _error(404, "no such export")
    if request.GET.get("download"):
        if job.status != "done":
            return _error(409, "the export is not finished yet")
        path = Path(job.path)
        return FileResponse(open(path, "rb"), as_attachment=True, filename=path.name,
                            content_type=FORMATS[job.format][1])
    return JsonResponse({"job": str(job.pk), "status": job.status, "done": job.done, "total": job.total,
                         "error": job.error or None,
                         "download": f"/export/jobs/{job.pk}?download=1" if job.status == "done" else None})


# ------------------------------------------------------------------------------ tokens
@login_required
def tokens(request):
    new_key = None
    if request.method == "POST":
        if "revoke" in request.POST:
            tok = ApiToken.objects.filter(user=request.user, pk=request.POST.get("revoke")).first()
            if tok:
                tok.revoke()
            return redirect("tokens")
        name = (request.POST.get("name") or "").strip()[:100] or "QGIS"
        _, new_key = ApiToken.issue(request.user, name)
    return render(request, "frontend/tokens.html", {
        "tokens": ApiToken.objects.filter(user=request.user), "new_key": new_key})




# ------------------------------------------------------------------------------ citizen reports
@require_GET
def report_status(request, code: str):
    """The public status of a citizen report: anyone with its code, no personal data."""
    from layers.citizen import public_status

    status = public_status(code)
    if status is None:
        return _error(404, f"no report {code!r}")
    if request.GET.get("f") == "json" or "json" in request.headers.get("Accept", ""):
        return JsonResponse(status)
    return render(request, "frontend/report_status.html", {"r": status})


@require_GET
def report_duplicates(request):
    """Reports of the same category within 50 m and 7 days of a new one (staff)."""
    from datetime import datetime

    from layers.citizen import possible_duplicates

    if not request.user.is_authenticated:
        return unauthorized("log in to check for duplicates")
    try:
        lon, lat = float(request.GET["lon"]), float(request.GET["lat"])
        at = datetime.fromisoformat(request.GET["at"]) if request.GET.get("at") else timezone.now()
        category = request.GET["category"]
    except (KeyError, ValueError):
        return _error(400, "give category, lon, lat and optionally at (ISO date-time)")
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.get_current_timezone())
    return JsonResponse({"duplicates": possible_duplicates(category=category, lon=lon, lat=lat, at=at)})
