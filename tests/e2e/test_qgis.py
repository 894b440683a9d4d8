"""QGIS's own OAPIF provider (Debian's python3-qgis, run in a subprocess) loads collections."""

import json
import subprocess

import pytest
import requests

from tests.helpers import ROOT

QGIS_PYTHON = "/usr/bin/python3"


def qgis_available() -> bool:
    try:
        return subprocess.run([QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


pytestmark = pytest.mark.skipif(not qgis_available(), reason="make test installs python3-qgis")


def load(live_url: str, collection: str) -> dict:
    # a clean environment: the venv's GDAL/PROJ variables (set by rasterio/pyproj) would
    # point QGIS at data files of other versions
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen",
           "XDG_RUNTIME_DIR": "/tmp"}
    out = subprocess.run([QGIS_PYTHON, str(ROOT / "tests" / "clients" / "qgis_oapif.py"), live_url, collection],
                         capture_output=True, text=True, timeout=300, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("collection,geometry", [("schools", "Point"), ("admin-districts", "MultiPolygon")])
def test_qgis_loads_a_collection_completely(live_url, collection, geometry):
    got = load(live_url, collection)
    assert got["valid"], got
    expected = requests.get(f"{live_url}/ogc/collections/{collection}/items?resulttype=hits", timeout=30).json()
    assert got["count"] == expected["numberMatched"]
    assert geometry in got["geometry"]
    assert "name" in got["fields"]
    assert 106 < got["extent"][0] < got["extent"][2] < 108
