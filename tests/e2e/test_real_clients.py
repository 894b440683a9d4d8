"""Clients nobody here wrote, against a real server (gunicorn) on the test database: GDAL's
OAPIF driver (ogrinfo, ogr2ogr) and plain HTTP."""

import json
import shutil
import subprocess

import pytest
import requests

pytestmark = pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="gdal-bin is installed by make test")


def run(*args: str) -> str:
    out = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_ogrinfo_lists_every_public_collection_with_counts_and_types(live_url):
    listing = run("ogrinfo", "-ro", "-so", f"OAPIF:{live_url}/ogc")
    for layer, geom in [("admin-districts", "Multi Polygon"), ("schools", "Point"), ("health-facilities", "Point"),
                        ("tourist-sites", "Point"), ("traffic-accidents", "Point"), ("land-parcels", "Multi Polygon")]:
        assert f"{layer} (" in listing and geom in listing
    summary = run("ogrinfo", "-ro", "-so", "-al", f"OAPIF:{live_url}/ogc")
    counts = {}
    for block in summary.split("Layer name: ")[1:]:
        name = block.splitlines()[0].strip()
        counts[name] = int(block.split("Feature Count: ")[1].split()[0])
    collections = requests.get(f"{live_url}/ogc/collections?f=json", timeout=30).json()["collections"]
    for c in (c for c in collections if c.get("itemType") == "feature"):  # rasters are coverages
        n = requests.get(f"{live_url}/ogc/collections/{c['id']}/items?limit=1&resulttype=hits", timeout=30).json()
        assert counts[c["id"]] == n["numberMatched"], c["id"]
    assert counts["admin-districts"] == 11


@pytest.mark.parametrize("layer,page", [("schools", 50), ("land-parcels", 1000)])
def test_ogr2ogr_downloads_a_whole_collection_through_paging(live_url, tmp_path, layer, page):
    out = tmp_path / "out.gpkg"
    run("ogr2ogr", "-f", "GPKG", str(out), f"OAPIF:{live_url}/ogc", layer, "-oo", f"PAGE_SIZE={page}")
    info = run("ogrinfo", "-ro", "-so", str(out), layer)
    got = int(info.split("Feature Count: ")[1].split()[0])
    expected = requests.get(f"{live_url}/ogc/collections/{layer}/items?resulttype=hits", timeout=30).json()
    assert got == expected["numberMatched"] > page


def test_ogr2ogr_spatial_and_attribute_filters_round_trip(live_url, tmp_path):
    out = tmp_path / "thpt.geojson"
    run("ogr2ogr", "-f", "GeoJSON", str(out), f"OAPIF:{live_url}/ogc", "schools",
        "-where", "level = 'thpt'", "-spat", "106.4", "11.3", "107.5", "12.3")
    fc = json.loads(out.read_text())
    assert fc["features"] and {f["properties"]["level"] for f in fc["features"]} == {"thpt"}


def test_a_server_answers_json_errors_not_html(live_url):
    r = requests.get(f"{live_url}/ogc/collections/nope/items", timeout=30)
    assert r.status_code == 404 and r.headers["Content-Type"].startswith("application/json")
    r = requests.get(f"{live_url}/ogc/collections/schools/items?limit=x", timeout=30)
    assert r.status_code == 400 and "limit" in r.json()["description"]


def test_owslib_pages_through_a_collection(live_url):
    # imported here: OWSLib is a test-only client
    from owslib.ogcapi.features import Features

    api = Features(live_url + "/ogc")
    assert "schools" in [c["id"] for c in api.collections()["collections"]]
    seen, offset = [], 0
    while True:
        page = api.collection_items("schools", limit=100, offset=offset)
        seen += [f["id"] for f in page["features"]]
        if not any(link["rel"] == "next" for link in page["links"]):
            break
        offset += 100
    total = requests.get(f"{live_url}/ogc/collections/schools/items?resulttype=hits", timeout=30).json()["numberMatched"]
    assert len(seen) == len(set(seen)) == total
