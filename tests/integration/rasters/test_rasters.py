"""Rasters: COG ingest (good, broken, reprojected), tiles, legend, values, OGC coverage
subsets read by GDAL, and zonal statistics checked against an independent computation."""

import io
import json
import math
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest
import rasterio
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from PIL import Image
from rasterio.features import rasterize
from rasterio.transform import from_origin
from rasterio.warp import transform_geom
from rio_cogeo.cogeo import cog_validate

from layers.models import AdminUnit
from rasters.models import RasterDataset
from rasters.services import RasterError, full_path, import_raster
from rasters.zonal import zonal_statistics

pytestmark = pytest.mark.django_db


def small_raster(path, crs="EPSG:32648", origin=(560_000, 1_290_000), value=None, nodata=-1.0):
    arr = value if value is not None else np.arange(400 * 300, dtype="float32").reshape(300, 400) % 97
    with rasterio.open(path, "w", driver="GTiff", width=arr.shape[1], height=arr.shape[0], count=1,
                       dtype=arr.dtype, crs=crs, transform=from_origin(*origin, 50, 50), nodata=nodata) as dst:
        dst.write(arr, 1)
    return arr


def test_demo_rasters_are_valid_cogs_with_a_catalogue_entry():
    assert set(RasterDataset.objects.values_list("slug", flat=True)) >= {"population", "land-cover", "flood-hazard", "ndvi"}
    for rec in RasterDataset.objects.all():
        valid, errors, _w = cog_validate(str(full_path(rec)), quiet=True)
        assert valid, (rec.slug, errors)
        assert rec.statistics[0]["min"] is not None and rec.footprint.extent[0] > 106
    lc = RasterDataset.objects.get(slug="land-cover")
    assert lc.kind == "categorical" and len(lc.classes) == 8


def test_import_a_vn2000_raster_and_refuse_broken_ones(tmp_path):
    small_raster(tmp_path / "vn.tif", crs="EPSG:9212", origin=(568_000, 1_276_000))
    rec = import_raster(path=tmp_path / "vn.tif", slug="thu-vn2000", value_unit="m")
    assert "9212" in rec.crs and 106.8 < rec.footprint.centroid.x < 107.0
    (tmp_path / "broken.tif").write_bytes(b"II*\x00 not really a tiff")
    with pytest.raises(CommandError, match="not a raster"):
        call_command("import_raster", str(tmp_path / "broken.tif"), "--id", "hong")
    assert not RasterDataset.objects.filter(slug="hong").exists()
    assert not list((full_path(rec).parent).glob("hong*")) and not list(full_path(rec).parent.glob("tmp*"))
    with pytest.raises(RasterError, match="already exists"):
        import_raster(path=tmp_path / "vn.tif", slug="thu-vn2000")


def test_a_raster_without_crs_needs_one(tmp_path):
    with rasterio.open(tmp_path / "nocrs.tif", "w", driver="GTiff", width=10, height=10, count=1, dtype="uint8",
                       transform=from_origin(568_000, 1_276_000, 100, 100)) as dst:
        dst.write(np.ones((1, 10, 10), dtype="uint8"))
    with pytest.raises(RasterError, match="--crs"):
        import_raster(path=tmp_path / "nocrs.tif", slug="nocrs")
    rec = import_raster(path=tmp_path / "nocrs.tif", slug="nocrs", crs="VN2000")
    assert "9212" in rec.crs


def _lonlat_to_tile(lon, lat, z):
    n = 2**z
    x = (lon + 180) / 360 * n
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int(x), int(y), (x % 1) * 256, (y % 1) * 256


def test_a_known_pixel_has_the_class_colour(client):
    rec = RasterDataset.objects.get(slug="land-cover")
    lon, lat = 106.8895, 11.5362  # the provincial hospital, in Đồng Xoài: built-up
    value = client.get(f"/rasters/land-cover/point?lon={lon}&lat={lat}").json()
    colour = next(c["color"] for c in rec.classes if c["value"] == int(value["value"]))
    x, y, px, py = _lonlat_to_tile(lon, lat, 14)
    r = client.get(f"/rasters/land-cover/tiles/14/{x}/{y}.png")
    assert r.status_code == 200 and r["Content-Type"] == "image/png" and r["ETag"]
    img = Image.open(io.BytesIO(r.content)).convert("RGBA")
    got = img.getpixel((int(px), int(py)))
    assert got[:3] == tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5)) and got[3] == 255
    assert client.get(f"/rasters/land-cover/tiles/14/{x}/{y}.png", HTTP_IF_NONE_MATCH=r["ETag"]).status_code == 304
    outside = client.get("/rasters/land-cover/tiles/14/0/0.png")
    assert outside.status_code == 200 and Image.open(io.BytesIO(outside.content)).getextrema()[3] == (0, 0)
    assert client.get("/rasters/land-cover/tiles/3/99/0.png").status_code == 404
    assert client.get("/rasters/ndvi/tiles/14/0/0.png?colormap=nope").status_code == 400
    assert client.get("/rasters/nope/tiles/14/0/0.png").status_code == 404


def test_legend_and_values_carry_units_and_class_names(client):
    lg = client.get("/rasters/population/legend").json()
    assert lg["kind"] == "continuous" and lg["unit"] and len(lg["stops"]) == 6
    lc = client.get("/rasters/land-cover/legend").json()
    assert lc["kind"] == "categorical" and lc["classes"][0]["name"]
    v = client.get("/rasters/land-cover/point?lon=106.8895&lat=11.5362").json()
    assert v["class"]["vi"] and v["class"]["en"]
    assert client.get("/rasters/population/point?lon=x&lat=1").status_code == 400


def test_ogc_lists_rasters_as_coverages_and_gdal_opens_a_subset(client, tmp_path):
    colls = {c["id"]: c for c in client.get("/ogc/collections?f=json").json()["collections"]}
    assert {"population", "land-cover", "flood-hazard", "ndvi"} <= set(colls)
    r = client.get("/ogc/collections/population/coverage?bbox=106.85,11.5,106.95,11.6&f=GTiff")
    assert r.status_code == 200
    out = tmp_path / "subset.tif"
    out.write_bytes(r.content)
    info = json.loads(subprocess.run(["gdalinfo", "-json", str(out)], capture_output=True, text=True, check=True).stdout)
    assert 80 < info["size"][0] < 140 and 80 < info["size"][1] < 140
    assert client.get("/ogc/collections/population/coverage?bbox=1,2,3").status_code == 400
    assert client.get("/ogc/collections/population/coverage?colour=1").status_code == 400
    assert client.get("/ogc/collections/nope/coverage").status_code == 404


def test_zonal_statistics_agree_with_an_independent_computation():
    rec = RasterDataset.objects.get(slug="population")
    ours = {z["code"]: z for z in zonal_statistics(rec, level="district")}
    with rasterio.open(full_path(rec)) as src:
        data = src.read(1)
        for unit in AdminUnit.objects.filter(level="district"):
            geom = transform_geom("EPSG:4326", src.crs, json.loads(unit.geom.geojson))
            mask = rasterize([(geom, 1)], out_shape=data.shape, transform=src.transform, fill=0, dtype="uint8") == 1
            vals = data[mask & (data != src.nodata)].astype("float64")
            z = ours[unit.code]
            assert z["pixels"] == vals.size
            assert z["sum"] == pytest.approx(vals.sum(), rel=1e-9)
            assert z["mean"] == pytest.approx(vals.mean(), rel=1e-9)
            assert (z["min"], z["max"]) == pytest.approx((vals.min(), vals.max()))
    total = sum(z["sum"] for z in ours.values())
    assert total == pytest.approx(sum(AdminUnit.objects.filter(level="commune").values_list("population", flat=True)),
                                  rel=0.02)


def test_zonal_process_and_categorical_areas(client):
    body = {"inputs": {"raster": "land-cover", "level": "district"}}
    r = client.post("/ogc/processes/zonal-statistics/execution", json.dumps(body), content_type="application/json")
    assert r.status_code == 200, r.content
    zones = r.json()["zones"]
    assert len(zones) == 11 and all(abs(sum(v for v in z["share_pct"].values() if v) - 100) < 0.1 for z in zones)
    poly = {"type": "Polygon", "coordinates": [[[106.85, 11.5], [106.95, 11.5], [106.95, 11.6], [106.85, 11.6], [106.85, 11.5]]]}
    r = client.post("/ogc/processes/zonal-statistics/execution",
                    json.dumps({"inputs": {"raster": "population", "geometry": poly}}), content_type="application/json")
    assert r.status_code == 200 and r.json()["zones"][0]["sum"] > 0
    bad = client.post("/ogc/processes/zonal-statistics/execution", json.dumps({"inputs": {"raster": "nope"}}),
                      content_type="application/json")
    assert bad.status_code == 400
    fc = client.get("/ogc/collections/population-by-commune/items?limit=200").json()
    assert fc["numberMatched"] >= 100 and fc["features"][0]["properties"]["population"] > 0


def test_staff_upload_form(client, tmp_path):
    small_raster(tmp_path / "up.tif")
    assert client.get("/rasters/upload/").status_code == 302  # to the login page
    client.force_login(User.objects.get(username="viewer"))
    assert client.get("/rasters/upload/").status_code == 403
    client.force_login(User.objects.get(username="editor"))
    with open(tmp_path / "up.tif", "rb") as f:
        r = client.post("/rasters/upload/", {"file": f, "slug": "tai-len", "title": "Ảnh tải lên", "unit": "m"})
    assert r.status_code == 302 and RasterDataset.objects.get(slug="tai-len").access == "internal"
    (tmp_path / "bad.tif").write_bytes(b"nope")
    with open(tmp_path / "bad.tif", "rb") as f:
        r = client.post("/rasters/upload/", {"file": f, "slug": "xau"})
    assert r.status_code == 400 and "not a raster" in r.content.decode()


def vrt_of(source: str, width=400, height=300) -> str:
    return f"""<VRTDataset rasterXSize="{width}" rasterYSize="{height}">
  <SRS>EPSG:32648</SRS><GeoTransform>560000, 50, 0, 1290000, 0, -50</GeoTransform>
  <VRTRasterBand dataType="Float32" band="1"><SimpleSource>
    <SourceFilename relativeToVRT="0">{source}</SourceFilename><SourceBand>1</SourceBand>
  </SimpleSource></VRTRasterBand></VRTDataset>"""


class _Counting(BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):  # noqa: N802  (http.server's name)
        type(self).hits += 1
        self.send_response(404)
        self.end_headers()

    def do_HEAD(self):  # noqa: N802
        self.do_GET()

    def log_message(self, *args):
        pass


def test_formats_that_refer_to_other_files_or_urls_are_refused(client, tmp_path):
    """Issue 10, defect 5: a VRT could read any file, or make the server fetch internal URLs."""
    secret = tmp_path / "outside" / "secret.tif"
    secret.parent.mkdir()
    small_raster(secret)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for i, source in enumerate([str(secret), f"/vsicurl/http://127.0.0.1:{server.server_port}/healthz"]):
            path = tmp_path / f"x{i}.vrt"
            path.write_text(vrt_of(source))
            with pytest.raises(RasterError, match="VRT"):
                import_raster(path=path, slug=f"vrt-{i}")
            client.force_login(User.objects.get(username="editor"))
            with open(path, "rb") as f:
                r = client.post("/rasters/upload/", {"file": f, "slug": f"vrt-up-{i}"})
            assert r.status_code == 400 and "VRT" in r.content.decode()
    finally:
        server.shutdown()
    assert _Counting.hits == 0
    assert not RasterDataset.objects.filter(slug__startswith="vrt-").exists()


def test_an_unknown_access_level_is_a_clear_error_not_a_database_error(client, tmp_path):
    small_raster(tmp_path / "a.tif")
    with pytest.raises(RasterError, match="access must be one of"):
        import_raster(path=tmp_path / "a.tif", slug="sai-quyen", access="secret")
    client.force_login(User.objects.get(username="editor"))
    with open(tmp_path / "a.tif", "rb") as f:
        r = client.post("/rasters/upload/", {"file": f, "slug": "sai-quyen", "access": "x" * 50})
    assert r.status_code == 400 and "access must be one of" in r.content.decode()
    assert not RasterDataset.objects.filter(slug="sai-quyen").exists()
