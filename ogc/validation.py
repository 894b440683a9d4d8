"""Checks pygeoapi leaves out or answers with 500: unknown parameters, malformed values."""

from __future__ import annotations

import math

from layers import registry
from ogc.provider import parse_datetime_param

ITEMS_PARAMS = {
    "bbox", "bbox-crs", "crs", "f", "lang", "limit", "offset", "resulttype", "datetime", "sortby",
    "properties", "skipGeometry", "q", "filter", "filter-lang", "filter-crs",
}
ITEM_PARAMS = {"f", "lang", "crs"}
MAX_OFFSET = 10**9


class RequestProblem(ValueError):
    pass


def _int(name: str, raw: str, low: int, high: int) -> int:
    try:
        v = int(raw)
    except ValueError:
        raise RequestProblem(f"{name} must be an integer, not {raw!r}") from None
    if not low <= v <= high:
        raise RequestProblem(f"{name} must be between {low} and {high}")
    return v


def check_bbox(raw: str) -> list[float]:
    parts = raw.split(",")
    if len(parts) not in (4, 6):
        raise RequestProblem("bbox must have 4 numbers (minx,miny,maxx,maxy) or 6 (with z)")
    try:
        vals = [float(p) for p in parts]
    except ValueError:
        raise RequestProblem(f"bbox values must be numbers: {raw!r}") from None
    if not all(math.isfinite(v) for v in vals):
        raise RequestProblem("bbox values must be finite numbers")
    minx, miny, maxx, maxy = (vals[0], vals[1], vals[2], vals[3]) if len(vals) == 4 else (
        vals[0], vals[1], vals[3], vals[4])
    if miny > maxy:
        raise RequestProblem("bbox: miny is greater than maxy")
    if minx > maxx:
        raise RequestProblem("bbox: minx is greater than maxx (antimeridian boxes are not supported)")
    if not (-90 <= miny <= 90 and -90 <= maxy <= 90):
        raise RequestProblem("bbox: latitudes must lie between -90 and 90")
    return vals


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
