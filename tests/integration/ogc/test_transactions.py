"""OGC API - Features Part 4 writes: permissions by role and scope, validation on every
field, versions, and history of every path."""

import json

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from pyproj import Transformer

from layers.models import AdminUnit, School
from tests.helpers import basic, if_match

pytestmark = pytest.mark.django_db

ITEMS = "/ogc/collections/schools/items"


def school(lon=106.888, lat=11.54, **props):
    p = {"name": "Trường THCS Thử Nghiệm", "level": "thcs", "students": 500, "teachers": 30}
    p.update(props)
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": p}


def post(client, body, who=None, path=ITEMS, **extra):
    headers = basic(who) if who else {}
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(path, data, content_type="application/geo+json", **headers, **extra)


def point_in(district_code: str):
    d = AdminUnit.objects.get(code=district_code)
    p = d.geom.point_on_surface
    return p.x, p.y


def count():
    return School.objects.count()


def test_create_read_back_replace_and_delete(client):
    r = post(client, school(), "editor")
    assert r.status_code == 201
    loc = r["Location"]
    assert loc.startswith("http://testserver/ogc/collections/schools/items/")
    path = loc.removeprefix("http://testserver")
    got = client.get(path).json()
    assert got["properties"]["name"] == "Trường THCS Thử Nghiệm" and got["properties"]["commune"]
    assert got["id"] == int(path.rsplit("/", 1)[1])
    new = school(students=650)
    r = client.put(path, json.dumps(new), content_type="application/geo+json", **if_match(client, path),
                   **basic("editor"))
    assert r.status_code == 200 and client.get(path).json()["properties"]["students"] == 650
    r = client.patch(path, json.dumps({"properties": {"teachers": 41}}), content_type="application/merge-patch+json",
                     **if_match(client, path), **basic("editor"))
    assert r.status_code == 200 and client.get(path).json()["properties"] == {**got["properties"], "students": 650, "teachers": 41}
    assert client.delete(path, **if_match(client, path), **basic("editor")).status_code == 204
    assert client.get(path).status_code == 404


def test_no_credentials_401_wrong_role_403_and_nothing_written(client):
    n = count()
    r = post(client, school())
    assert r.status_code == 401 and "WWW-Authenticate" in r
    for who in ("viewer", "operator"):
        assert post(client, school(), who).status_code == 403
    sid = School.objects.first().id
    assert client.delete(f"{ITEMS}/{sid}", **basic("viewer")).status_code == 403
    assert client.delete(f"{ITEMS}/{sid}").status_code == 401
    assert count() == n


def test_scoped_editor_edits_schools_in_loc_ninh_only(client):
    lon, lat = point_in("694")  # Lộc Ninh
    assert post(client, school(lon, lat), "editor_locninh").status_code == 201
    lon2, lat2 = point_in("689")  # Đồng Xoài
    r = post(client, school(lon2, lat2), "editor_locninh")
    assert r.status_code == 403 and "district" in r.json()["description"]
    r = post(client, {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                      "properties": {"name": "Trạm Y tế thử", "kind": "station", "beds": 3, "doctors": 1}},
             "editor_locninh", path="/ogc/collections/health-facilities/items")
    assert r.status_code == 403  # education only
    outside = School.objects.filter(commune__parent__code="689").first()
    r = client.patch(f"{ITEMS}/{outside.id}", json.dumps({"properties": {"students": 1}}),
                     content_type="application/merge-patch+json", **basic("editor_locninh"))
    assert r.status_code == 403
    inside = School.objects.filter(commune__parent__code="694").first()
    r = client.patch(f"{ITEMS}/{inside.id}", json.dumps({"geometry": {"type": "Point", "coordinates": [lon2, lat2]}}),
                     content_type="application/merge-patch+json", **if_match(client, f"{ITEMS}/{inside.id}"),
                     **basic("editor_locninh"))
    assert r.status_code == 403  # cannot move a school out of the district either


@pytest.mark.parametrize("body,field", [
    (school(lon=105.0, lat=10.0), "geometry"),  # outside the province
    ({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[106.8, 11.5], [106.9, 11.5], [106.9, 11.6], [106.8, 11.5]]]},
      "properties": school()["properties"]}, "geometry"),  # wrong type
    ({"type": "Feature", "geometry": {"type": "Point", "coordinates": ["x", 1]}, "properties": school()["properties"]}, "geometry"),
    ({"type": "Feature", "geometry": None, "properties": school()["properties"]}, "geometry"),
    (school(students=-5), "students"),
    (school(students="nhiều"), "students"),
    (school(level="dai_hoc"), "level"),
    (school(name=None), "name"),
    (school(name="x" * 500), "name"),
    (school(colour="red"), "colour"),
    ({"type": "Feature", "geometry": school()["geometry"], "properties": {"name": "A"}}, "level"),
    ({"type": "FeatureCollection", "features": []}, "type"),
    ("{not json", "body"),
    ("[1, 2]", "body"),
])
def test_bad_input_gets_400_naming_the_field_and_writes_nothing(client, body, field):
    n = count()
    r = post(client, body, "editor")
    assert r.status_code == 400, r.content
    assert field in r.json()["errors"], r.json()
    assert count() == n


def test_oversized_payload_is_refused(client, settings):
    settings.IOC_MAX_FEATURE_BYTES = 1000
    r = post(client, school(name="x" * 2000), "editor")
    assert r.status_code == 400 and "larger" in r.json()["description"]


def test_invalid_polygon_is_repaired_and_vn2000_input_is_reprojected(client):
    bowtie = [[[106.88, 11.53], [106.882, 11.532], [106.882, 11.53], [106.88, 11.532], [106.88, 11.53]]]
    r = client.post("/ogc/collections/land-parcels/items", json.dumps({
        "type": "Feature", "geometry": {"type": "Polygon", "coordinates": bowtie},
        "properties": {"sheet": 9, "number": 1, "land_use": "ONT", "area_m2": 400.0, "owner_type": "GDC"}}),
        content_type="application/geo+json", **basic("editor"))
    assert r.status_code == 201, r.content
    assert r.json()["geometry"]["type"] == "MultiPolygon"
    x, y = Transformer.from_crs(4326, 9212, always_xy=True).transform(106.9, 11.55)
    r = post(client, {**school(), "geometry": {"type": "Point", "coordinates": [x, y]}}, "editor",
             HTTP_CONTENT_CRS="<http://www.opengis.net/def/crs/EPSG/0/9212>")
    assert r.status_code == 201
    assert r.json()["geometry"]["coordinates"] == pytest.approx([106.9, 11.55], abs=1e-6)
    r = post(client, school(), "editor", HTTP_CONTENT_CRS="EPSG:3857")
    assert r.status_code == 400


def test_stale_versions_are_refused(client):
    path = post(client, school(), "editor")["Location"].removeprefix("http://testserver")
    etag = client.get(path)["ETag"]
    ok = client.put(path, json.dumps(school(students=501)), content_type="application/geo+json",
                    HTTP_IF_MATCH=etag, **basic("editor"))
    assert ok.status_code == 200
    stale = client.put(path, json.dumps(school(students=999)), content_type="application/geo+json",
                       HTTP_IF_MATCH=etag, **basic("editor"))
    assert stale.status_code == 412
    assert client.get(path).json()["properties"]["students"] == 501
    assert client.delete(path, HTTP_IF_MATCH=etag, **basic("editor")).status_code == 412


def test_idempotency_key_makes_a_resend_harmless(client):
    n = count()
    a = post(client, school(), "editor", HTTP_IDEMPOTENCY_KEY="abc-123")
    b = post(client, school(), "editor", HTTP_IDEMPOTENCY_KEY="abc-123")
    assert (a.status_code, b.status_code) == (201, 200) and a["Location"] == b["Location"]
    assert count() == n + 1


def test_ogc_edit_and_direct_sql_appear_in_history_with_their_author_and_can_be_restored(client):
    path = post(client, school(), "editor")["Location"].removeprefix("http://testserver")
    fid = int(path.rsplit("/", 1)[1])
    client.patch(path, json.dumps({"properties": {"students": 777}}), content_type="application/merge-patch+json",
                 **if_match(client, path), **basic("editor"))
    with connection.cursor() as cur:
        # psql or another program: a session without pghistory's context (the test shares one
        # transaction with the requests above, so clear what they set locally)
        cur.execute("SELECT set_config('pghistory.context_id', '', true), "
                    "set_config('pghistory.context_metadata', '', true)")
        cur.execute("UPDATE layers_school SET teachers = 99 WHERE id = %s", [fid])
    h = client.get(f"/api/layers/schools/items/{fid}/history", **basic("viewer")).json()["events"]
    assert [e["action"] for e in h] == ["insert", "update", "update"]
    assert [e["by"] for e in h] == ["editor", "editor", "database"]
    assert h[1]["changes"]["students"] == {"before": 500, "after": 777}
    assert h[2]["changes"]["teachers"] == {"before": 30, "after": 99}
    r = client.post(f"/api/layers/schools/items/{fid}/restore", json.dumps({"event": h[0]["event"]}),
                    content_type="application/json", **basic("editor"))
    assert r.status_code == 200
    back = client.get(path).json()["properties"]
    assert (back["students"], back["teachers"]) == (500, 30)
    h = client.get(f"/api/layers/schools/items/{fid}/history", **basic("viewer")).json()["events"]
    assert h[-1]["restored_from"] == h[0]["event"] and h[-1]["by"] == "editor"
    r = client.post(f"/api/layers/schools/items/{fid}/restore", json.dumps({"event": h[0]["event"]}),
                    content_type="application/json", **basic("viewer"))
    assert r.status_code == 403


def test_deleted_feature_can_be_restored(client):
    path = post(client, school(), "editor")["Location"].removeprefix("http://testserver")
    fid = int(path.rsplit("/", 1)[1])
    client.delete(path, **if_match(client, path), **basic("editor"))
    h = client.get(f"/api/layers/schools/items/{fid}/history", **basic("editor")).json()["events"]
    assert h[-1]["action"] == "delete"
    client.post(f"/api/layers/schools/items/{fid}/restore", json.dumps({"event": h[0]["event"]}),
                content_type="application/json", **basic("editor"))
    assert client.get(path).status_code == 200


def test_session_writes_need_the_csrf_token(client):
    c = Client(enforce_csrf_checks=True)
    c.force_login(User.objects.get(username="editor"))
    r = c.post(ITEMS, json.dumps(school()), content_type="application/geo+json")
    assert r.status_code == 403 and "CSRF" in r.json()["description"]


def test_read_only_layers_refuse_writes(client):
    r = post(client, school(), "admin", path="/ogc/collections/admin-districts/items")
    assert r.status_code == 405


def test_a_write_without_if_match_is_refused_with_428_and_changes_nothing(client):
    """Issue 10, defect 10: without If-Match, a write would silently overwrite another's change."""
    path = post(client, school(), "editor")["Location"].removeprefix("http://testserver")
    before = client.get(path)["ETag"]
    for method, body in (("put", json.dumps(school(students=1))), ("patch", json.dumps({"properties": {"students": 2}})),
                         ("delete", None)):
        kwargs = {"content_type": "application/geo+json"} if body else {}
        r = getattr(client, method)(path, body, **kwargs, **basic("editor")) if body else \
            client.delete(path, **basic("editor"))
        assert r.status_code == 428 and r.json()["code"] == "PreconditionRequired" and "If-Match" in r.json()["errors"]
    assert client.get(path)["ETag"] == before
    r = client.patch(path, json.dumps({"properties": {"students": 3}}), content_type="application/merge-patch+json",
                     HTTP_IF_MATCH="*", **basic("editor"))
    assert r.status_code == 200  # "*": the client says it overwrites whatever is there
