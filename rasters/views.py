"""Raster tiles, legends, pixel values and zonal statistics; the layers' access rule on each."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from gis_server.context import page_language
from gis_server.errors import BadRequest, Forbidden, NotFound, json_error
from gis_server.roles import is_staff_member
from layers.domains import domains
from rasters.access import readable_raster
from rasters.services import RasterError, import_raster, sample_value
from rasters.tiles import TileRequestError, legend, render_tile
from rasters.zonal import zonal_statistics

STATUS_CLASS = {400: BadRequest, 403: Forbidden, 404: NotFound}


def _error(status: int, description: str) -> JsonResponse:
    return json_error(STATUS_CLASS[status], description)


@require_GET
def tile(request, slug: str, z: int, x: int, y: int):
    rec = readable_raster(request.user, slug)
    if rec is None:
        return _error(404, f"raster {slug!r} not found")
    cm = request.GET.get("colormap") or None
    rescale = None
    if request.GET.get("rescale"):
        try:
            lo, hi = (float(v) for v in request.GET["rescale"].split(","))
            rescale = (lo, hi)
        except ValueError:
            return _error(400, "rescale must be min,max")
    etag = '"' + hashlib.sha1(f"{rec.slug}:{rec.updated_at.isoformat()}:{cm}:{rescale}:{z}/{x}/{y}".encode()
                              ).hexdigest() + '"'
    if request.headers.get("If-None-Match") == etag:
        r = HttpResponse(status=304)
    else:
        try:
            r = HttpResponse(render_tile(rec, z, x, y, colormap=cm, rescale=rescale), content_type="image/png")
        except TileRequestError as exc:
            return _error(400 if "colour" in str(exc) else 404, str(exc))
    r["ETag"] = etag
    r["Cache-Control"] = ("public" if rec.access == "public" else "private") + ", max-age=86400"
    return r


@require_GET
def raster_legend(request, slug: str):
    rec = readable_raster(request.user, slug)
    if rec is None:
        return _error(404, f"raster {slug!r} not found")
    lang = page_language()
    return JsonResponse({"id": rec.slug, "title": rec.title_en if lang == "en" else rec.title_vi,
                         **legend(rec, lang)})


@require_GET
def point(request, slug: str):
    rec = readable_raster(request.user, slug)
    if rec is None:
        return _error(404, f"raster {slug!r} not found")
    try:
        lon, lat = float(request.GET["lon"]), float(request.GET["lat"])
    except (KeyError, ValueError):
        return _error(400, "give lon and lat as numbers")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):  # also refuses inf and nan
        return _error(400, "lon must lie between -180 and 180, lat between -90 and 90")
    v = sample_value(rec, lon, lat)
    out = {"id": rec.slug, "lon": lon, "lat": lat, "value": v, "unit": rec.value_unit}
    if rec.kind == "categorical" and v is not None:
        c = next((c for c in rec.classes if int(c["value"]) == int(v)), None)
        out["class"] = c and {"vi": c["name_vi"], "en": c["name_en"]}
    return JsonResponse(out)


def zonal(request, slug: str):
    rec = readable_raster(request.user, slug)
    if rec is None:
        return _error(404, f"raster {slug!r} not found")
    polygon = None
    if request.method == "POST":
        try:
            polygon = json.loads(request.body or b"{}").get("geometry")
        except (json.JSONDecodeError, AttributeError):
            return _error(400, "send {\"geometry\": <GeoJSON polygon>}")
    try:
        rows = zonal_statistics(rec, level=request.GET.get("level", "commune"), polygon=polygon)
    except (ValueError, TypeError) as exc:
        return _error(400, str(exc))
    return JsonResponse({"id": rec.slug, "unit": rec.value_unit, "kind": rec.kind, "zones": rows})


def upload(request):
    """Staff upload a raster (GeoTIFF or any GDAL-readable file, any CRS); stored as a COG."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_staff_member(request.user):
        return _error(403, "staff only")
    error = None
    if request.method == "POST":
        f = request.FILES.get("file")
        if f is None:
            error = "choose a raster file"
        else:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / Path(f.name).name
                with open(path, "wb") as out:
                    for chunk in f.chunks():
                        out.write(chunk)
                try:
                    import_raster(path=path, slug=request.POST.get("slug", "").strip(),
                                  title_vi=request.POST.get("title") or None, title_en=request.POST.get("title_en") or None,
                                  domain=request.POST.get("domain") or "other", value_unit=request.POST.get("unit", ""),
                                  colormap=request.POST.get("colormap") or "viridis", crs=request.POST.get("crs") or None,
                                  access=request.POST.get("access") or "internal")
                    return redirect("/")
                except RasterError as exc:
                    error = str(exc)
    return render(request, "frontend/raster_upload.html", {"error": error, "domains": domains()}, status=400 if error else 200)
