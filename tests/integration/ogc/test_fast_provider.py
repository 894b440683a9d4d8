"""Our fast provider against pygeoapi's stock PostgreSQL provider on the same committed data:
same features, same order, same attributes; ids and errors; and tiles decoded as MVT."""

import math

import mapbox_vector_tile
import pytest
from django.db import connection

pytestmark = pytest.mark.django_db
BOX = [106.80, 11.40, 107.00, 11.60]


@pytest.fixture
def stock(django_db_setup, django_db_blocker):
    # imported here: the stock provider needs psycopg2, a test-only dependency
    from pygeoapi.provider.sql import PostgreSQLProvider

    with django_db_blocker.unblock():
        d = connection.settings_dict
    return PostgreSQLProvider({
        "name": "PostgreSQL", "type": "feature", "table": "layers_landparcel", "id_field": "id", "geom_field": "geom",
        "data": {"host": d["HOST"], "port": int(d["PORT"]), "dbname": d["NAME"], "user": d["USER"], "password": ""},
    })


def ours(client, **params):
    r = client.get("/ogc/collections/land-parcels/items", {"f": "json", **params})
    assert r.status_code == 200, r.content
    return r.json()


def stock_query(stock, **kw):
    kw.setdefault("sortby", [{"property": "id", "order": "+"}])
    return stock.query(**kw)


@pytest.mark.parametrize("limit,offset", [(10, 0), (50, 20), (7, 300)])
def test_same_features_same_order_with_bbox_and_paging(client, stock, limit, offset):
    a = ours(client, bbox=",".join(map(str, BOX)), limit=limit, offset=offset)
    b = stock_query(stock, bbox=BOX, limit=limit, offset=offset)
    assert [f["id"] for f in a["features"]] == [f["id"] for f in b["features"]]
    for fa, fb in zip(a["features"], b["features"], strict=True):
        for k in ("sheet", "number", "land_use", "owner_type"):
            assert fa["properties"][k] == fb["properties"][k]
        assert fa["properties"]["area_m2"] == pytest.approx(fb["properties"]["area_m2"])
        assert fa["geometry"]["type"] == fb["geometry"]["type"] == "MultiPolygon"
        assert fa["geometry"]["coordinates"][0][0][0] == pytest.approx(fb["geometry"]["coordinates"][0][0][0], abs=1e-6)
    assert a["numberMatched"] == b["numberMatched"]


def test_same_answers_for_attribute_filters_sorting_and_selection(client, stock):
    a = ours(client, land_use="CLN", sortby="-area_m2", limit=25, properties="land_use,area_m2")
    b = stock.query(properties=[("land_use", "CLN")], sortby=[{"property": "area_m2", "order": "-"},
                                                              {"property": "id", "order": "+"}], limit=25)
    assert [f["id"] for f in a["features"]] == [f["id"] for f in b["features"]]
    assert set(a["features"][0]["properties"]) == {"land_use", "area_m2"}
    assert a["numberMatched"] == b["numberMatched"]


def test_same_single_item_and_missing_ids(client, stock):
    fid = stock_query(stock, limit=1, offset=123)["features"][0]["id"]
    a = client.get(f"/ogc/collections/land-parcels/items/{fid}").json()
    b = stock.get(fid)
    assert a["id"] == b["id"] and a["properties"]["land_use"] == b["properties"]["land_use"]
    for bad in ("999999999", "abc", "1e5", "-3", "99999999999999999999999"):
        assert client.get(f"/ogc/collections/land-parcels/items/{bad}").status_code == 404


def test_fast_path_errors_are_clear(client):
    for params, word in [({"sortby": "nope"}, "sortby"), ({"properties": "nope"}, "properties"),
                         ({"area_m2": "big"}, "area_m2"), ({"bbox": "1,2"}, "bbox"), ({"limit": "x"}, "limit")]:
        r = client.get("/ogc/collections/land-parcels/items", {"f": "json", **params})
        assert r.status_code == 400 and word in r.json()["description"], (params, r.content)


def _tile(lon, lat, z):
    n = 2**z
    x = (lon + 180) / 360 * n
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int(x), int(y)


def test_a_known_feature_appears_in_the_tile_that_covers_it(client):
    school = client.get("/ogc/collections/schools/items?limit=1&offset=40").json()["features"][0]
    lon, lat = school["geometry"]["coordinates"]
    x, y = _tile(lon, lat, 15)
    r = client.get(f"/ogc/collections/schools/tiles/WebMercatorQuad/15/{y}/{x}")
    assert r.status_code == 200
    tile = mapbox_vector_tile.decode(r.content)
    feats = tile["schools"]["features"]
    mine = [f for f in feats if f["id"] == school["id"]]
    assert mine and mine[0]["properties"]["name"] == school["properties"]["name"]
    assert mine[0]["geometry"]["type"] == "Point"
