"""A cached pygeoapi `API` object per (base URL, audience, registry version).

pygeoapi's own Django views build a new `API` (and read settings) on every request; we
build one when the registry changes and keep it."""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.conf import settings
from django.utils import translation
from pygeoapi.api import API
from pygeoapi.openapi import get_oas

from layers import registry
from layers.access import visible_layers
from ogc.config import build_config, check_config
from ogc.openapi_local import localise
from operations.intake.openapi import with_intake_api
from rasters.access import readable_rasters

_lock = threading.Lock()
_apis: OrderedDict[tuple, API] = OrderedDict()
MAX_CACHED = 16


def get_api(base_url: str, user) -> API:
    """The API for what this user may see: the layer set is part of the cache key, so the
    OpenAPI document and collection list never mention a layer the user may not read."""
    layers = visible_layers(user)
    rasters = readable_rasters(user)
    key = (base_url, tuple(s.id for s in layers), tuple((r.slug, r.updated_at) for r in rasters),
           registry.registry_version())
    with _lock:
        api = _apis.get(key)
        if api is not None:
            _apis.move_to_end(key)
            return api
    cfg = build_config(base_url, layers, rasters)
    check_config(cfg)
    with translation.override(settings.LANGUAGE_CODE):  # one document, in the default language
        openapi = localise(get_oas(cfg, fail_on_invalid_collection=False))  # no remote $ref
        # the departments' push API (/api/datasets/…) lives beside /ogc and names no layer
        openapi = with_intake_api(openapi, root_url=base_url.removesuffix("/ogc"))
    api = API(cfg, openapi)
    with _lock:
        _apis[key] = api
        while len(_apis) > MAX_CACHED:
            _apis.popitem(last=False)
    return api


def clear() -> None:
    with _lock:
        _apis.clear()
