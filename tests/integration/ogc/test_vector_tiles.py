"""OGC API - Tiles: vector tiles from PostGIS (ST_AsMVT) for every vector layer."""

import json
import math

import pytest

from tests.helpers import basic

pytestmark = pytest.mark.django_db


def tile_of(lon, lat, z):
    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def test_tiles_metadata_and_a_tile_of_schools(client):
    meta = client.get("/ogc/collections/schools/tiles/WebMercatorQuad").json()
    assert meta["dataType"] == "vector" and meta["tiles"][0].endswith("/{z}/{y}/{x}")
    assert "name" in meta["vector_layers"][0]["fields"]
    sets = client.get("/ogc/collections/schools/tiles").json()
    assert sets["tilesets"][0]["tileMatrixSetURI"].endswith("WebMercatorQuad")
    x, y = tile_of(106.89, 11.54, 12)
    r = client.get(f"/ogc/collections/schools/tiles/WebMercatorQuad/12/{y}/{x}")
    assert r.status_code == 200 and r["Content-Type"] == "application/vnd.mapbox-vector-tile"
    assert b"schools" in r.content and len(r.content) > 100  # the layer name is in the tile
    assert client.get(r.request["PATH_INFO"], HTTP_IF_NONE_MATCH=r["ETag"]).status_code == 304
    assert "max-age" in r["Cache-Control"]


def test_empty_and_impossible_tiles(client):
    assert client.get("/ogc/collections/schools/tiles/WebMercatorQuad/12/0/0").status_code == 204
    assert client.get("/ogc/collections/schools/tiles/WebMercatorQuad/3/99/0").status_code == 404
    assert client.get("/ogc/collections/nope/tiles/WebMercatorQuad/3/0/0").status_code == 404


def test_restricted_tiles_need_the_role(client):
    x, y = tile_of(106.89, 11.54, 10)
    path = f"/ogc/collections/security-incidents/tiles/WebMercatorQuad/10/{y}/{x}"
    assert client.get(path).status_code == 404
    assert client.get("/ogc/collections/security-incidents/tiles/WebMercatorQuad").status_code == 404
    assert client.get(path, **basic("security")).status_code in (200, 204)


def test_an_edit_shows_in_the_next_tile(client):
    x, y = tile_of(106.89, 11.54, 14)
    path = f"/ogc/collections/schools/tiles/WebMercatorQuad/14/{y}/{x}"
    before = client.get(path)
    body = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [106.8901, 11.5401]},
            "properties": {"name": "Trường Mới Trong Ô", "level": "thcs", "students": 1, "teachers": 1}}
    assert client.post("/ogc/collections/schools/items", json.dumps(body), content_type="application/geo+json",
                       **basic("editor")).status_code == 201
    after = client.get(path)
    assert after["ETag"] != before["ETag"] and "Trường Mới Trong Ô".encode() in after.content
