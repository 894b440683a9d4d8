"""Thin views: parse and check the request, call one pygeoapi function, fix up the reply."""

from __future__ import annotations

import json
import logging
from http import HTTPStatus

import pygeoapi.api as core_api
import pygeoapi.api.itemtypes as itemtypes_api
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from pygeoapi.api import APIRequest

from layers.access import readable_layer
from ogc.api import get_api
from ogc.validation import RequestProblem, check_item_params, check_items_params

LOGGER = logging.getLogger(__name__)
GEOJSON = "application/geo+json"


def _error(status: int, code: str, description: str) -> JsonResponse:
    return JsonResponse({"code": code, "description": description}, status=status)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/ogc").rstrip("/")


def _call(request: HttpRequest, fn, *args, fixup=None) -> HttpResponse:
    try:
        api = get_api(_base_url(request), request.user)
        api_request = APIRequest.from_django(request, api.locales)
        if not api_request.is_valid():
            headers, status, content = api.get_format_exception(api_request)
        else:
            headers, status, content = fn(api, api_request, *args)
    except (OperationalError, InterfaceError):
        raise  # the middleware answers 503
    except Exception:  # never a bare 500 page from /ogc
        LOGGER.exception("OGC request failed: %s", request.get_full_path())
        return _error(500, "NoApplicableCode", "internal error; it has been logged")
    if fixup and status == HTTPStatus.OK:
        headers, content = fixup(api_request, headers, content)
    response = HttpResponse(content, status=status)
    for key, value in headers.items():
        response[key] = value
    return response


def _visible(request: HttpRequest, collection_id: str) -> bool:
    return readable_layer(request.user, collection_id) is not None


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
        return _error(404, "NotFound", f"collection {collection_id!r} not found")
    return _call(request, core_api.describe_collections, collection_id, fixup=_fix_collections)


def queryables(request, collection_id: str):
    if not _visible(request, collection_id):
        return _error(404, "NotFound", f"collection {collection_id!r} not found")
    return _call(request, itemtypes_api.get_collection_queryables, collection_id)


@csrf_exempt
def items(request, collection_id: str):
    if not _visible(request, collection_id):
        return _error(404, "NotFound", f"collection {collection_id!r} not found")
    if request.method not in ("GET", "HEAD"):
        return _error(405, "MethodNotAllowed", "this collection is read-only")
    try:
        check_items_params(request, collection_id)
    except RequestProblem as p:
        return _error(400, "InvalidParameterValue", str(p))
    return _call(request, itemtypes_api.get_collection_items, collection_id, fixup=_fix_geojson)


@csrf_exempt
def item(request, collection_id: str, item_id: str):
    if not _visible(request, collection_id):
        return _error(404, "NotFound", f"collection {collection_id!r} not found")
    if request.method not in ("GET", "HEAD"):
        return _error(405, "MethodNotAllowed", "this collection is read-only")
    try:
        check_item_params(request)
    except RequestProblem as p:
        return _error(400, "InvalidParameterValue", str(p))
    return _call(request, itemtypes_api.get_collection_item, collection_id, item_id, fixup=_fix_geojson)
