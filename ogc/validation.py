"""Checks pygeoapi leaves out or answers with 500: unknown parameters, malformed values.
(`check_bbox` lives in layers.query: exports check boxes the same way.)"""

from __future__ import annotations

from gis_server.errors import BadRequest
from layers import registry
from layers.query import check_bbox, parse_datetime_param

__all__ = ["RequestProblem", "check_bbox", "check_item_params", "check_items_params"]

ITEMS_PARAMS = {
    "bbox", "bbox-crs", "crs", "f", "lang", "limit", "offset", "resulttype", "datetime", "sortby",
    "properties", "skipGeometry", "q", "filter", "filter-lang", "filter-crs",
}
ITEM_PARAMS = {"f", "lang", "crs"}
MAX_OFFSET = 10**9


class RequestProblem(BadRequest):
    pass


def _int(name: str, raw: str, low: int, high: int) -> int:
    try:
        v = int(raw)
    except ValueError:
        raise RequestProblem(f"{name} must be an integer, not {raw!r}") from None
    if not low <= v <= high:
        raise RequestProblem(f"{name} must be between {low} and {high}")
    return v


def check_items_params(request, collection_id: str) -> None:
    spec = registry.get_layer(collection_id)
    known = ITEMS_PARAMS | {f.name for f in spec.fields}
    unknown = sorted(set(request.GET) - known)
    if unknown:
        raise RequestProblem(f"unknown query parameter(s): {', '.join(unknown)}")
    g = request.GET
    if "limit" in g:
        _int("limit", g["limit"], 1, 10**9)
    if "offset" in g:
        _int("offset", g["offset"], 0, MAX_OFFSET)
    if "bbox" in g:
        check_bbox(g["bbox"])
    if "datetime" in g:
        if not spec.time_field:
            raise RequestProblem(f"datetime: collection {collection_id!r} has no time dimension")
        try:
            parse_datetime_param(g["datetime"])
        except (ValueError, OverflowError) as exc:
            raise RequestProblem(f"datetime: {exc}") from None
    if "resulttype" in g and g["resulttype"] not in ("results", "hits"):
        raise RequestProblem("resulttype must be 'results' or 'hits'")
    if "skipGeometry" in g and g["skipGeometry"].lower() not in ("true", "false", "1", "0"):
        raise RequestProblem("skipGeometry must be true or false")


def check_item_params(request) -> None:
    unknown = sorted(set(request.GET) - ITEM_PARAMS)
    if unknown:
        raise RequestProblem(f"unknown query parameter(s): {', '.join(unknown)}")
