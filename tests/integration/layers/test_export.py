"""Exports: every format, the portal's filters, large exports in the background."""


import json
import zipfile

import geopandas as gpd
import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from layers import exporting
from layers.query import Filters
from layers.registry import get_layer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["gpkg", "shp", "geojson", "csv", "xlsx"])
def test_cli_exports_every_format_with_filters(tmp_path, fmt):
    call_command("export_layer", "schools", "--format", fmt, "--out", str(tmp_path), "--where", "level=thpt")
    path = next(tmp_path.iterdir())
    if fmt == "csv":
        df = pd.read_csv(path, encoding="utf-8-sig")
        assert {"lon", "lat", "name", "commune"} <= set(df.columns)
    elif fmt == "xlsx":
        df = pd.read_excel(path)
    elif fmt == "shp":
        with zipfile.ZipFile(path) as z:
            assert {"schools.shp", "schools.dbf", "schools.prj"} <= set(z.namelist())
        df = gpd.read_file(f"/vsizip/{path}")
    else:
        df = gpd.read_file(path)
        assert df.crs.to_epsg() == 4326
    assert len(df) >= 11 and set(df["level"]) == {"thpt"}


def test_cli_refuses_what_the_user_may_not_read_and_bad_filters(tmp_path):
    with pytest.raises(CommandError, match="no layer 'security-incidents'"):
        call_command("export_layer", "security-incidents", "--out", str(tmp_path))
    call_command("export_layer", "security-incidents", "--out", str(tmp_path), "--as-user", "security",
                 "--format", "geojson")
    with pytest.raises(CommandError, match="bbox"):
        call_command("export_layer", "schools", "--bbox", "1,2", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="students"):
        call_command("export_layer", "schools", "--where", "students=many", "--out", str(tmp_path))


def test_portal_export_uses_the_map_filters(client):
    r = client.get("/export/traffic-accidents?format=geojson&datetime=2025-01-01/2025-03-31&severity=critical")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")

    fc = json.loads(r.content)
    assert fc["features"] and all(f["properties"]["severity"] == "critical" for f in fc["features"])
    assert all("2025-01" <= f["properties"]["occurred_at"][:7] <= "2025-03" for f in fc["features"])
    assert client.get("/export/schools?format=doc").status_code == 400
    assert client.get("/export/schools?colour=red").status_code == 400


def test_large_exports_run_in_the_background_with_progress(client, monkeypatch):
    monkeypatch.setattr(exporting, "SYNC_EXPORT_MAX", 100)
    monkeypatch.setattr(exporting.threading, "Thread", _InlineThread)  # same DB transaction in tests
    r = client.get("/export/land-parcels?format=gpkg")
    assert r.status_code == 202
    status_url = r.json()["status_url"]
    job = client.get(status_url).json()
    assert job["status"] == "done" and job["done"] == job["total"] > 100
    f = client.get(job["download"])
    assert f.status_code == 200 and f["Content-Disposition"].endswith('.gpkg"')


class _InlineThread:
    def __init__(self, target, args, daemon):
        self.target, self.args = target, args

    def start(self):
        close = connection.close
        connection.close = lambda: None  # keep the test's connection (and transaction)
        try:
            self.target(*self.args)
        finally:
            connection.close = close


def test_exported_counts_match_the_api(client):
    spec = get_layer("tourist-sites")
    assert exporting.count_matching(spec, Filters()) == client.get(
        "/ogc/collections/tourist-sites/items?resulttype=hits").json()["numberMatched"]

