"""Malformed input gets a 400 (or 404) in the one JSON error shape, never a 500 (issue 10,
defect 9), and nothing is written."""

import json

import pytest

from layers.models import School
from tests.helpers import basic

pytestmark = pytest.mark.django_db
SCHOOL = {"name": "Trường thử", "level": "thpt", "students": 10, "teachers": 2}
POINT = {"type": "Point", "coordinates": [106.89, 11.54]}


def assert_error_shape(r, status=400):
    assert r.status_code == status, (r.status_code, r.content[:300])
    body = r.json()
    assert set(body) >= {"code", "description"} and body["description"]


@pytest.mark.parametrize("path", [
    "/api/layers/schools/items/1.5/photos/1",
    "/api/layers/schools/items/1e3/photos",
    "/api/layers/schools/items/abc/history",
])
def test_a_malformed_feature_id_is_404(client, path):
    assert_error_shape(client.get(path, **basic("admin")), 404)


@pytest.mark.parametrize("path", [
    "/export/schools?format=xlsx&q=%00",
    "/export/schools?format=csv&name=a%00b",
    "/export/traffic-accidents?format=csv&datetime=2025-01-01%00",
    "/ogc/collections/schools/items?q=%00",
    "/rasters/population/point?lon=1e308&lat=1e308",
    "/rasters/population/point?lon=nan&lat=11",
    "/ogc/collections/population/coverage?bbox=10,10,11,11&f=json",
    "/ogc/collections/land-cover/coverage?bbox=107.6,11,108,11.1&f=GTiff",
])
def test_hostile_query_values_are_400(client, path):
    assert_error_shape(client.get(path))


def test_an_odd_period_on_a_dashboard_falls_back_to_the_default(client):
    assert client.get("/dashboard/health/?months=%C2%B2", **basic("admin")).status_code == 200


def write(client, body: str):
    return client.post("/ogc/collections/schools/items", body, content_type="application/geo+json",
                       **basic("editor"))


@pytest.mark.parametrize("body, field", [
    (json.dumps({"type": "Feature", "properties": SCHOOL,
                 "geometry": {"type": "Point", "coordinates": [106.89, 11.54, 10.0]}}), "geometry"),
    (json.dumps({"type": "Feature", "properties": SCHOOL,
                 "geometry": {"type": "Point", "coordinates": [1e300, 1e300]}}), "geometry"),
    (json.dumps({"type": "Feature", "properties": {**SCHOOL, "name": "a\x00b"}, "geometry": POINT}), "name"),
    ('{"type": "Feature", "properties": {"name": "\\ud800", "level": "thpt", "students": 1, "teachers": 1},'
     ' "geometry": {"type": "Point", "coordinates": [106.89, 11.54]}}', "name"),
    ("[" * 100_000 + "]" * 100_000, "body"),
])
def test_hostile_write_bodies_are_400_and_write_nothing(client, body, field):
    before = School.objects.count()
    r = write(client, body)
    assert_error_shape(r)
    assert field in r.json().get("errors", {}), r.json()
    assert School.objects.count() == before
