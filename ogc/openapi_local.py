"""pygeoapi's OpenAPI document refers to about twenty schema files on the internet
(schemas.opengis.net and GitHub). Offline tools (schemathesis, code generators, validators)
cannot resolve them, so each remote `$ref` is replaced by a local component with the same
meaning, declared here."""

from __future__ import annotations

import copy

FEATURES = "https://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/ogcapi-features-1.yaml#/components"
PROCESSES = "https://schemas.opengis.net/ogcapi/processes/part1/1.0/openapi"

EXCEPTION = {"type": "object", "required": ["code"], "properties": {
    "code": {"type": "string"}, "description": {"type": "string"}, "type": {"type": "string"},
    "errors": {"type": "object", "additionalProperties": {"type": "string"}}}}
LINK = {"type": "object", "required": ["href"], "properties": {
    "href": {"type": "string"}, "rel": {"type": "string"}, "type": {"type": "string"},
    "hreflang": {"type": "string"}, "title": {"type": "string"}, "length": {"type": "integer"}}}


def _json(description: str, schema: dict, media: str = "application/json") -> dict:
    return {"description": description, "content": {media: {"schema": schema}}}


OBJECT = {"type": "object"}
LOCAL: dict[str, tuple[str, str, dict]] = {  # remote $ref -> (components section, name, definition)
    f"{FEATURES}/parameters/datetime": ("parameters", "datetime", {
        "name": "datetime", "in": "query", "required": False, "style": "form", "explode": False,
        "description": "An RFC 3339 instant or interval (`..` for an open end)", "schema": {"type": "string"}}),
    f"{FEATURES}/parameters/featureId": ("parameters", "featureId", {
        "name": "featureId", "in": "path", "required": True, "description": "The id of a feature",
        "schema": {"type": "string"}}),
    "https://raw.githubusercontent.com/opengeospatial/ogcapi-records/master/core/openapi/parameters/sortby.yaml": (
        "parameters", "sortby", {
            "name": "sortby", "in": "query", "required": False, "style": "form", "explode": False,
            "description": "Properties to sort by, `-` before a name for descending",
            "schema": {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": "[+|-]?[A-Za-z_].*"}}}),
    f"{FEATURES}/responses/LandingPage": ("responses", "LandingPage", _json("The landing page", OBJECT)),
    f"{FEATURES}/responses/Collection": ("responses", "Collection", _json("A collection", OBJECT)),
    f"{FEATURES}/responses/Features": ("responses", "Features",
                                        _json("A page of features", OBJECT, "application/geo+json")),
    f"{FEATURES}/responses/Feature": ("responses", "Feature", _json("A feature", OBJECT, "application/geo+json")),
    f"{FEATURES}/responses/InvalidParameter": ("responses", "InvalidParameter",
                                                _json("A parameter is malformed", EXCEPTION)),
    f"{FEATURES}/responses/NotFound": ("responses", "NotFound", _json("Not found", EXCEPTION)),
    f"{FEATURES}/responses/ServerError": ("responses", "ServerError", _json("A server error", EXCEPTION)),
    f"{PROCESSES}/responses/ExecuteAsync": ("responses", "ExecuteAsync", _json("A job was started", OBJECT)),
    f"{PROCESSES}/responses/NotFound.yaml": ("responses", "ProcessNotFound", _json("Not found", EXCEPTION)),
    f"{PROCESSES}/responses/ProcessList.yaml": ("responses", "ProcessList", _json("The processes", OBJECT)),
    f"{PROCESSES}/responses/ServerError.yaml": ("responses", "ProcessServerError", _json("A server error", EXCEPTION)),
    f"{PROCESSES}/responses/ExecuteAsync.yaml": ("responses", "ExecuteAsync", _json("A job was started", OBJECT)),
    f"{PROCESSES}/schemas/exception.yaml": ("schemas", "exception", EXCEPTION),
    f"{PROCESSES}/schemas/execute.yaml": ("schemas", "execute", {
        "type": "object", "properties": {"inputs": {"type": "object"}, "outputs": {"type": "object"}}}),
    "https://schemas.opengis.net/cql2/1.0/cql2.json": ("schemas", "cql2", OBJECT),
    "https://schemas.opengis.net/ogcapi/tiles/part1/1.0/openapi/ogcapi-tiles-1.yaml#/components/schemas/link": (
        "schemas", "link", LINK),
}


def localise(doc: dict) -> dict:
    """A copy of the OpenAPI document whose $refs all point inside it. A remote $ref this table
    does not know becomes a plain object, so nothing is left to fetch."""
    out = copy.deepcopy(doc)
    added: dict[str, dict] = {}

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(("http://", "https://")):
                section, name, definition = LOCAL.get(ref, ("schemas", "remote", OBJECT))
                added.setdefault(section, {}).setdefault(name, copy.deepcopy(definition))
                node["$ref"] = f"#/components/{section}/{name}"
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(out)
    components = out.setdefault("components", {})
    for section, defs in added.items():
        for name, definition in defs.items():
            components.setdefault(section, {}).setdefault(name, definition)
    return out
