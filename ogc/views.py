"""Thin views: parse and check the request, call one pygeoapi function, fix up the reply."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from http import HTTPStatus
from urllib.parse import urlencode

import pygeoapi.api as core_api
import pygeoapi.api.coverages as coverages_api
import pygeoapi.api.itemtypes as itemtypes_api
import pygeoapi.api.processes as processes_api
from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt
from pygeoapi.api import APIRequest

from gis_server.errors import (
    BadRequest,
    Forbidden,
    MethodNotAllowed,
    NotFound,
    Unauthorized,
    internal_error,
)
from layers import editing
from layers.access import audience_for, readable_layer
from layers.query import Filters, LayerQuery, Page, Sort
from ogc import tiles
from ogc.api import get_api
from ogc.validation import check_bbox, check_item_params, check_items_params
from operations.domains.citizen import duplicates_of_new_report
from rasters.access import readable_raster

LOGGER = logging.getLogger(__name__)
GEOJSON = "application/geo+json"
CITIZEN_REPORTS = "citizen-reports"


def _readable_layer_or_404(request, collection_id: str):
    spec = readable_layer(request.user, collection_id)
    if spec is None:
        raise NotFound(f"collection {collection_id!r} not found")
    return spec


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/ogc").rstrip("/")


def _call(request: HttpRequest, fn, *args, fixup=None, skip_valid_check: bool = False) -> HttpResponse:
    try:
        api = get_api(_base_url(request), request.user)
        api_request = APIRequest.from_django(request, api.locales)
        if not skip_valid_check and not api_request.is_valid():
            headers, status, content = api.get_format_exception(api_request)
        else:
            headers, status, content = fn(api, api_request, *args)
    except (OperationalError, InterfaceError):
        raise  # the middleware answers 503
    except Exception:  # never a bare 500 page from /ogc
        LOGGER.exception("OGC request failed: %s", request.get_full_path())
        return internal_error()
    if fixup and status == HTTPStatus.OK:
        headers, content = fixup(api_request, headers, content)
    response = HttpResponse(content, status=status)
    for key, value in headers.items():
        response[key] = value
    return response


def _visible(request: HttpRequest, collection_id: str) -> bool:
    return readable_layer(request.user, collection_id) is not None or \
        readable_raster(request.user, collection_id) is not None


def coverage(request, collection_id: str):
    """OGC API - Coverages: a raster, or a bbox subset of it (GeoTIFF or CoverageJSON)."""
    rec = readable_raster(request.user, collection_id)
    if rec is None:
        raise NotFound(f"coverage {collection_id!r} not found")
    unknown = sorted(set(request.GET) - {"f", "bbox", "bbox-crs", "subset", "properties", "datetime", "lang"})
    if unknown:
        raise BadRequest(f"unknown query parameter(s): {', '.join(unknown)}")
    if "bbox" in request.GET:
        b = check_bbox(request.GET["bbox"])
        minx, miny, maxx, maxy = (b[0], b[1], b[2], b[3]) if len(b) == 4 else (b[0], b[1], b[3], b[4])
        fx0, fy0, fx1, fy1 = rec.footprint.extent
        if minx >= fx1 or maxx <= fx0 or miny >= fy1 or maxy <= fy0:
            raise BadRequest(f"bbox does not overlap coverage {collection_id!r} "
                             f"({fx0:.4f},{fy0:.4f},{fx1:.4f},{fy1:.4f})")
    # the native format (f=GTiff) is not one of pygeoapi's generic formats: it checks it itself
    return _call(request, coverages_api.get_collection_coverage, collection_id, skip_valid_check=True)


def processes(request, process_id: str | None = None):
    return _call(request, processes_api.describe_processes, process_id)


@csrf_exempt
def execute_process(request, process_id: str):
    if request.method != "POST":
        raise MethodNotAllowed("POST the execution request")
    try:
        body = json.loads(request.body or b"{}")
        raster = (body.get("inputs") or {}).get("raster")
    except (json.JSONDecodeError, AttributeError):
        raise BadRequest("the body must be a JSON execution request") from None
    if process_id == "zonal-statistics" and (not isinstance(raster, str) or readable_raster(request.user, raster) is None):
        raise BadRequest(f"inputs.raster: unknown raster {raster!r}")
    return _call(request, processes_api.execute_process, process_id)


def _strip_items_query(links: list[dict]) -> None:
    """Clients append /{id} to the items link: give them .../items without ?f=json."""
    for link in links:
        if link.get("rel") == "items" and link.get("type") in (GEOJSON, "application/json"):
            link["href"] = link["href"].split("?", 1)[0]


def _fix_collections(api_request, headers, content):
    if api_request.format not in (None, "json") or not isinstance(content, (str, bytes)):
        return headers, content
    doc = json.loads(content)
    _strip_items_query(doc.get("links", []))
    for coll in doc.get("collections", []):
        _strip_items_query(coll.get("links", []))
    return headers, json.dumps(doc, ensure_ascii=False)


def _fix_geojson(api_request, headers, content):
    if api_request.format in (None, "json"):
        headers["Content-Type"] = GEOJSON
    return headers, content


def landing_page(request):
    return _call(request, core_api.landing_page)


def openapi(request):
    return _call(request, core_api.openapi_)


def conformance(request):
    return _call(request, core_api.conformance)


def collections(request, collection_id: str | None = None):
    if collection_id is not None and not _visible(request, collection_id):
        raise NotFound(f"collection {collection_id!r} not found")
    return _call(request, core_api.describe_collections, collection_id, fixup=_fix_collections)


def queryables(request, collection_id: str):
    _readable_layer_or_404(request, collection_id)
    return _call(request, itemtypes_api.get_collection_queryables, collection_id)


@csrf_exempt
def items(request, collection_id: str):
    spec = _readable_layer_or_404(request, collection_id)
    if request.method == "POST":
        return write_feature(request, spec, None)
    if request.method not in ("GET", "HEAD"):
        raise MethodNotAllowed(f"{request.method} is not allowed on items")
    check_items_params(request, collection_id)
    if fast_items_eligible(request, spec):
        return fast_items(request, spec)
    return _call(request, itemtypes_api.get_collection_items, collection_id, fixup=_fix_geojson)


FAST_PARAMS = {"f", "bbox", "limit", "offset", "datetime", "sortby", "properties", "skipGeometry", "q"}
DEFAULT_LIMIT, MAX_LIMIT = 100, 10000


def fast_items_eligible(request, spec) -> bool:
    """GeoJSON pages with the everyday parameters skip pygeoapi's per-feature Python work; CQL2,
    CRS transforms, hits-only and HTML go through pygeoapi as before."""
    if request.GET.get("f", "json") != "json":
        return False
    if request.GET.get("f") is None and "text/html" in request.headers.get("Accept", ""):
        return False
    return not (set(request.GET) - FAST_PARAMS - {f.name for f in spec.fields})


def fast_item(request, spec, item_id: str) -> HttpResponse:
    """One feature as GeoJSON, with its ETag, in one query (pygeoapi serves the other formats)."""
    found = LayerQuery(spec, audience=audience_for(request.user, spec)).feature_text(item_id)
    if found is None:
        raise NotFound(f"item {item_id!r} not found")
    text, etag = found
    base = f"{_base_url(request)}/collections/{spec.id}"
    links = [{"type": GEOJSON, "rel": "self", "title": "This document as GeoJSON", "href": f"{base}/items/{item_id}?f=json"},
             {"type": "text/html", "rel": "alternate", "title": "This document as HTML",
              "href": f"{base}/items/{item_id}?f=html"},
             {"type": "application/json", "rel": "collection", "title": spec.title_en, "href": base}]
    response = HttpResponse(text[:-1] + ',"links":' + json.dumps(links, ensure_ascii=False) + "}", content_type=GEOJSON)
    response["ETag"] = etag
    return response


def fast_items(request, spec) -> HttpResponse:
    g = request.GET
    limit = min(int(g.get("limit", DEFAULT_LIMIT)), MAX_LIMIT)
    offset = int(g.get("offset", 0))
    names = {f.name for f in spec.fields}
    sortby = []
    for item in filter(None, (g.get("sortby") or "").split(",")):
        prop, order = (item[1:], item[0]) if item[0] in "+-" else (item, "+")
        if prop not in names:
            raise BadRequest(f"sortby: unknown property {prop!r}")
        sortby.append(Sort(prop, descending=order == "-"))
    select = [p for p in (g.get("properties") or "").split(",") if p]
    if set(select) - names:
        raise BadRequest(f"properties: unknown {', '.join(sorted(set(select) - names))}")
    filters = Filters(bbox=tuple(float(v) for v in g["bbox"].split(",")) if g.get("bbox") else (),
                      datetime=g.get("datetime"), properties=tuple((k, v) for k, v in g.items() if k in names),
                      q=g.get("q"))
    page = Page(offset=offset, limit=limit, sortby=tuple(sortby), properties=tuple(select),
                skip_geometry=(g.get("skipGeometry") or "false").lower() in ("true", "1"))
    features, returned, matched, estimated = LayerQuery(spec, audience=audience_for(request.user, spec)).features_text(
        filters, page)
    base = f"{_base_url(request)}/collections/{spec.id}/items"
    keep = [(k, v) for k, v in g.items() if k not in ("offset", "f")]
    link = lambda off: f"{base}?{urlencode([('f', 'json'), ('offset', off), *keep])}"  # noqa: E731
    links = [{"type": GEOJSON, "rel": "self", "title": "This document as GeoJSON", "href": link(offset)},
             {"type": "text/html", "rel": "alternate", "title": "This document as HTML",
              "href": f"{base}?{urlencode([('f', 'html'), ('offset', offset), *keep])}"},
             {"type": "application/json", "rel": "collection", "title": spec.title_en,
              "href": f"{_base_url(request)}/collections/{spec.id}"}]
    if matched > offset + limit or (returned == limit and estimated):
        links.append({"type": GEOJSON, "rel": "next", "title": "Items (next)", "href": link(offset + limit)})
    if offset > 0:
        links.append({"type": GEOJSON, "rel": "prev", "title": "Items (prev)", "href": link(max(0, offset - limit))})
    head = {"numberMatched": matched, "numberReturned": returned}
    if estimated:
        head["numberMatchedIsEstimate"] = True
    body = ('{"type":"FeatureCollection","features":' + features + "," + json.dumps(head)[1:-1]
            + ',"links":' + json.dumps(links, ensure_ascii=False)
            + f',"timeStamp":"{datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")}"}}')
    return HttpResponse(body, content_type=GEOJSON)


@csrf_exempt
def item(request, collection_id: str, item_id: str):
    spec = _readable_layer_or_404(request, collection_id)
    if request.method in ("PUT", "PATCH", "DELETE"):
        return write_feature(request, spec, item_id)
    if request.method not in ("GET", "HEAD"):
        raise MethodNotAllowed(f"{request.method} is not allowed on an item")
    check_item_params(request)
    if fast_items_eligible(request, spec):
        return fast_item(request, spec, item_id)
    response = _call(request, itemtypes_api.get_collection_item, collection_id, item_id, fixup=_fix_geojson)
    if response.status_code == 200:
        etag = editing.feature_etag(spec, int(item_id))
        if etag:
            response["ETag"] = etag
    return response


def write_feature(request, spec, item_id: str | None) -> HttpResponse:
    """OGC API - Features Part 4: POST on items, PUT/PATCH/DELETE on an item."""
    if not spec.editable:
        raise MethodNotAllowed(f"collection {spec.id!r} is read-only")
    if not request.user.is_authenticated:
        raise Unauthorized("log in, or send an API token or HTTP Basic credentials, to edit")
    if not request.api_auth:  # a browser session: the CSRF token is required as for any form
        reason = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
        if reason is not None:
            raise Forbidden("CSRF check failed; send the X-CSRFToken header")
    fid, status = _apply_write(request, spec, item_id)
    if status == 204:
        return HttpResponse(status=204)
    location = f"{_base_url(request)}/collections/{spec.id}/items/{fid}"
    feature = LayerQuery(spec, primary=True).feature(fid)
    if spec.id == CITIZEN_REPORTS and status == 201:  # offered, not enforced: staff decide
        feature["possible_duplicates"] = duplicates_of_new_report(feature, fid)
    response = HttpResponse(json.dumps(feature, ensure_ascii=False, default=str), status=status,
                            content_type=GEOJSON)
    response["Location"] = location
    response["ETag"] = editing.feature_etag(spec, fid)
    return response


def _apply_write(request, spec, item_id: str | None) -> tuple[int | None, int]:
    """Parse and apply one write; (feature id, HTTP status). Editing errors propagate."""
    srid = editing.srid_for(request.headers.get("Content-Crs"))
    doc = None
    if request.method != "DELETE":
        limit = settings.IOC_MAX_FEATURE_BYTES
        declared = request.headers.get("Content-Length") or "0"
        if not declared.isdigit() or int(declared) > limit:  # refuse before reading the body
            raise editing.FeatureInvalid(f"the request body is larger than {limit:,} bytes", {"body": "too large"})
        doc = editing.parse_feature(request.body, max_bytes=limit)
    if item_id is None:
        fid, created = editing.feature_create(spec=spec, user=request.user, doc=doc, srid=srid,
                                              idempotency_key=request.headers.get("Idempotency-Key"))
        status = 201 if created else 200
    else:
        fid = editing.parse_id(item_id)
        if_match = request.headers.get("If-Match")
        if request.method == "DELETE":
            editing.feature_delete(spec=spec, user=request.user, fid=fid, if_match=if_match, if_match_required=True)
            status = 204
        else:
            editing.feature_write(spec=spec, user=request.user, fid=fid, doc=doc, srid=srid,
                                  partial=request.method == "PATCH", if_match=if_match, if_match_required=True)
            status = 200
    tiles.invalidate(spec.id)
    return fid, status


def tilesets(request, collection_id: str):
    spec = _readable_layer_or_404(request, collection_id)
    base = _base_url(request)
    ts = tiles.tileset(spec, base)
    return JsonResponse({"links": [{"rel": "self", "type": "application/json",
                                    "href": f"{base}/collections/{spec.id}/tiles"}],
                         "tilesets": [{"title": ts["title"], "dataType": "vector", "crs": ts["crs"],
                                       "tileMatrixSetURI": ts["tileMatrixSetURI"], "links": ts["links"]}]})


def tileset(request, collection_id: str):
    spec = _readable_layer_or_404(request, collection_id)
    return JsonResponse(tiles.tileset(spec, _base_url(request)))


def vector_tile(request, collection_id: str, z: int, y: int, x: int):
    """OGC API - Tiles: /collections/{id}/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}."""
    spec = _readable_layer_or_404(request, collection_id)
    data, etag = tiles.render(spec, int(z), int(x), int(y), audience=audience_for(request.user, spec))
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(data, content_type="application/vnd.mapbox-vector-tile",
                                status=200 if data else 204)
    response["ETag"] = etag
    response["Cache-Control"] = ("public" if spec.access == "public" else "private") + f", max-age={int(settings.IOC_TILE_CACHE_SECONDS)}"
    return response