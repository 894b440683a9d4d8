"""OGC API - Features at /ogc, through Django's test client (same DB transaction)."""

import json

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

DEMO = ["admin-districts", "admin-communes", "schools", "health-facilities", "tourist-sites",
        "traffic-accidents", "traffic-black-spots", "traffic-cameras", "land-parcels"]


def get_json(client, url, status=200):
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code, r.content[:500])
    return r, json.loads(r.content)


def test_landing_conformance_and_openapi(client):
    _, landing = get_json(client, "/ogc?f=json")
    rels = {link["rel"] for link in landing["links"]}
    assert {"conformance", "data", "service-desc"} <= rels
    _, conf = get_json(client, "/ogc/conformance?f=json")
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in conf["conformsTo"]
    r = client.get("/ogc/openapi?f=json")
    assert r.status_code == 200
    doc = json.loads(r.content)
    assert doc["openapi"].startswith("3.")
    assert "/collections/schools/items" in doc["paths"]


def test_collections_list_the_demo_layers_with_extents(client):
    _, body = get_json(client, "/ogc/collections?f=json")
    ids = {c["id"] for c in body["collections"]}
    assert set(DEMO) <= ids
    acc = next(c for c in body["collections"] if c["id"] == "traffic-accidents")
    minx, miny, maxx, maxy = acc["extent"]["spatial"]["bbox"][0]
    assert 106.3 < minx < maxx < 107.6 and 11.2 < miny < maxy < 12.4
    begin, end = acc["extent"]["temporal"]["interval"][0]
    assert begin.startswith("2024") and end.startswith("2026")


def test_items_links_carry_no_query_string(client):
    _, coll = get_json(client, "/ogc/collections/schools?f=json")
    items = [link for link in coll["links"] if link["rel"] == "items" and link["type"] == "application/geo+json"]
    assert items and all("?" not in link["href"] for link in items)
    assert items[0]["href"].endswith("/ogc/collections/schools/items")


def test_items_are_geojson_with_paging_links(client):
    r, fc = get_json(client, "/ogc/collections/schools/items?limit=10&offset=20")
    assert r["Content-Type"].startswith("application/geo+json")
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 10
    assert fc["numberMatched"] > 300 and fc["numberReturned"] == 10
    rels = {link["rel"]: link["href"] for link in fc["links"]}
    assert "offset=30" in rels["next"] and "offset=10" in rels["prev"]
    f = fc["features"][0]
    assert f["geometry"]["type"] == "Point"
    assert {"name", "level", "students", "teachers", "commune"} <= set(f["properties"])


def test_single_item_and_its_content_type(client):
    _, fc = get_json(client, "/ogc/collections/health-facilities/items?limit=1")
    fid = fc["features"][0]["id"]
    r, f = get_json(client, f"/ogc/collections/health-facilities/items/{fid}")
    assert r["Content-Type"].startswith("application/geo+json")
    assert f["id"] == fid and f["type"] == "Feature"


def test_bbox_limits_the_features(client):
    bbox = (106.85, 11.50, 106.92, 11.57)  # around Đồng Xoài
    _, fc = get_json(client, "/ogc/collections/schools/items?limit=1000&bbox=" + ",".join(map(str, bbox)))
    assert 0 < fc["numberReturned"] < 100
    for f in fc["features"]:
        x, y = f["geometry"]["coordinates"]
        assert bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def test_datetime_property_sortby_and_cql2(client):
    _, fc = get_json(client, "/ogc/collections/traffic-accidents/items?limit=1000&datetime=2025-03-01/2025-03-31")
    assert fc["numberMatched"] > 0
    assert all(f["properties"]["occurred_at"][:7] == "2025-03" for f in fc["features"])
    _, fc = get_json(client, "/ogc/collections/traffic-accidents/items?limit=5&datetime=../2024-12-31T23:59:59Z")
    assert all(f["properties"]["occurred_at"] < "2025" for f in fc["features"])
    _, fc = get_json(client, "/ogc/collections/schools/items?level=thpt&limit=100")
    assert fc["numberMatched"] >= 11 and {f["properties"]["level"] for f in fc["features"]} == {"thpt"}
    _, fc = get_json(client, "/ogc/collections/schools/items?sortby=-students&limit=5")
    students = [f["properties"]["students"] for f in fc["features"]]
    assert students == sorted(students, reverse=True)
    _, fc = get_json(client, "/ogc/collections/schools/items?filter=students%20%3E%201000%20AND%20level%3D'thpt'&limit=100")
    assert fc["numberMatched"] > 0
    assert all(f["properties"]["students"] > 1000 for f in fc["features"])
    _, fc = get_json(client, "/ogc/collections/schools/items?properties=name&skipGeometry=true&limit=2")
    assert set(fc["features"][0]["properties"]) == {"name"} and fc["features"][0]["geometry"] is None


def test_admin_layers_split_one_table_by_level(client):
    _, d = get_json(client, "/ogc/collections/admin-districts/items?limit=100")
    _, c = get_json(client, "/ogc/collections/admin-communes/items?limit=1000")
    assert d["numberMatched"] == 11 and 100 <= c["numberMatched"] <= 120
    assert {f["properties"]["level"] for f in c["features"]} == {"commune"}


@override_settings(IOC_COUNT_EXACT_BELOW=100)
def test_number_matched_is_estimated_on_big_results(client):
    _, fc = get_json(client, "/ogc/collections/land-parcels/items?limit=5")
    assert fc["numberMatchedIsEstimate"] is True and fc["numberMatched"] > 100
    _, fc = get_json(client, "/ogc/collections/schools/items?limit=5&level=thpt")
    assert "numberMatchedIsEstimate" not in fc


@pytest.mark.parametrize("url,status,word", [
    ("/ogc/collections/nope", 404, "nope"),
    ("/ogc/collections/nope/items", 404, "nope"),
    ("/ogc/collections/schools/items/999999999", 404, "not found"),
    ("/ogc/collections/schools/items/abc", 404, "not found"),
    ("/ogc/collections/schools/items/99999999999999999999999999", 404, "not found"),
    ("/ogc/collections/schools/items/-1", 404, "not found"),
    ("/ogc/collections/schools/items?bbox=1,2,3", 400, "bbox"),
    ("/ogc/collections/schools/items?bbox=a,b,c,d", 400, "bbox"),
    ("/ogc/collections/schools/items?bbox=1,2,nan,4", 400, "bbox"),
    ("/ogc/collections/schools/items?bbox=5,2,1,4", 400, "bbox"),
    ("/ogc/collections/schools/items?bbox=1,95,2,96", 400, "bbox"),
    ("/ogc/collections/schools/items?limit=abc", 400, "limit"),
    ("/ogc/collections/schools/items?limit=0", 400, "limit"),
    ("/ogc/collections/schools/items?limit=1e400", 400, "limit"),
    ("/ogc/collections/schools/items?offset=-1", 400, "offset"),
    ("/ogc/collections/schools/items?offset=99999999999999999999999", 400, "offset"),
    ("/ogc/collections/traffic-accidents/items?datetime=yesterday", 400, "datetime"),
    ("/ogc/collections/traffic-accidents/items?datetime=2025-13-45", 400, "datetime"),
    ("/ogc/collections/traffic-accidents/items?datetime=99999999999999999999", 400, "datetime"),
    ("/ogc/collections/traffic-accidents/items?datetime=2025-05-01/2025-01-01", 400, "datetime"),
    ("/ogc/collections/traffic-accidents/items?datetime=../..", 400, "datetime"),
    ("/ogc/collections/schools/items?datetime=2025-01-01", 400, "datetime"),
    ("/ogc/collections/schools/items?colour=red", 400, "colour"),
    ("/ogc/collections/schools/items?students=many", 400, "students"),
    ("/ogc/collections/schools/items?students=999999999999999999999999", 400, "students"),
    ("/ogc/collections/schools/items?sortby=nope", 400, "sortby"),
    ("/ogc/collections/schools/items?properties=nope", 400, "properties"),
    ("/ogc/collections/schools/items?filter=name%20%3E%205", 400, "filter"),
    ("/ogc/collections/schools/items?filter=nope%3D1", 400, "nope"),
    ("/ogc/collections/schools/items?filter=((((", 400, "CQL"),
    ("/ogc/collections/schools/items?resulttype=everything", 400, "resulttype"),
    ("/ogc/collections/schools/items?skipGeometry=maybe", 400, "skipGeometry"),
    ("/ogc/collections/schools/items?f=docx", 400, "format"),
    ("/ogc/collections/schools/items/1?foo=1", 400, "foo"),
])
def test_bad_input_gets_a_json_error_naming_the_problem(client, url, status, word):
    r = client.get(url, HTTP_ACCEPT="application/json")
    assert r.status_code == status, r.content
    body = json.loads(r.content)
    assert word.lower() in (body.get("description") or "").lower(), body


def test_writes_are_refused_on_read_only_collections(client):
    r = client.post("/ogc/collections/admin-districts/items", data="{}", content_type="application/geo+json")
    assert r.status_code == 405
    assert "read-only" in r.json()["description"]
    r = client.post("/ogc/collections/schools/items", data="{}", content_type="application/geo+json")
    assert r.status_code == 401


def test_no_input_makes_a_500(client):
    """A small fuzz over every parameter with hostile values."""
    hostile = ["", "'", "\"", "%00", "-1", "1e309", "NaN", "../..", "ST_Buffer(", "1;DROP TABLE x",
               "é" * 300, "9" * 40, "2025-02-30", ",,,,"]
    params = ["bbox", "limit", "offset", "datetime", "sortby", "properties", "q", "filter", "level",
              "students", "resulttype", "skipGeometry", "f", "lang", "crs", "bbox-crs", "filter-lang"]
    for p in params:
        for v in hostile:
            for coll in ("schools", "traffic-accidents"):
                r = client.get(f"/ogc/collections/{coll}/items", {p: v}, HTTP_ACCEPT="application/json")
                assert r.status_code < 500, (coll, p, v, r.content[:300])
    for item in hostile:
        r = client.get(f"/ogc/collections/schools/items/{item}", HTTP_ACCEPT="application/json")
        assert r.status_code < 500, (item, r.content[:300])


def test_the_openapi_document_resolves_offline(client):
    """Issue 10, defect 10: every $ref points inside the document, so offline tools can use it."""
    doc = client.get("/ogc/openapi?f=json").json()
    refs = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                refs.append(node["$ref"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)
    assert refs and all(r.startswith("#/") for r in refs), [r for r in refs if not r.startswith("#/")][:5]
    for ref in set(refs):  # and each one resolves
        node = doc
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
