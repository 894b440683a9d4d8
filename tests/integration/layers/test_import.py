"""import_layer: formats, CRSs, repair and rejection, all-or-nothing, visible on /ogc and the portal."""

import io
import zipfile

import geopandas as gpd
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from pyproj import Transformer
from shapely.geometry import Point, Polygon

from layers import importing
from layers.importing import ImportError_, import_layer_file
from layers.models import ImportedLayer
from tests.helpers import basic

pytestmark = pytest.mark.django_db

DONG_XOAI = (106.883, 11.535)


def table_exists(name: str) -> bool:
    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass(%s)", [f"imported.{name}"])
        return cur.fetchone()[0] is not None


def sample_gdf(crs="EPSG:4326", n=3):
    pts = [Point(DONG_XOAI[0] + i * 0.01, DONG_XOAI[1] + i * 0.01) for i in range(n)]
    gdf = gpd.GeoDataFrame({"ten": [f"Điểm {i}" for i in range(n)], "so_luong": list(range(n)),
                            "dien_tich": [1.5 * i for i in range(n)]}, geometry=pts, crs="EPSG:4326")
    return gdf.to_crs(crs)


def test_a_new_layer_is_internal_unless_said_otherwise_and_the_output_says_so(tmp_path, client):
    """Issue 10, defect 10: an import must not publish data to anyone by default."""
    path = tmp_path / "diem.geojson"
    sample_gdf().to_file(path, driver="GeoJSON")
    out = io.StringIO()
    call_command("import_layer", str(path), "--layer", "noi-bo-mac-dinh", stdout=out)
    assert ImportedLayer.objects.get(slug="noi-bo-mac-dinh").access == "internal"
    assert "access: internal" in out.getvalue()
    assert client.get("/ogc/collections/noi-bo-mac-dinh/items").status_code == 404
    assert client.get("/ogc/collections/noi-bo-mac-dinh/items", **basic("viewer")).status_code == 200


def test_geojson_becomes_a_layer_on_ogc_and_the_portal(tmp_path, client):
    path = tmp_path / "diem.geojson"
    sample_gdf().to_file(path, driver="GeoJSON")
    call_command("import_layer", str(path), "--layer", "diem-thu", "--title", "Điểm thử", "--domain", "tourism",
                 "--access", "public")
    rec = ImportedLayer.objects.get(slug="diem-thu")
    assert rec.feature_count == 3 and rec.geometry_type == "Point"
    assert {f["name"]: f["type"] for f in rec.fields} == {"ten": "string", "so_luong": "integer", "dien_tich": "number"}
    coll = client.get("/ogc/collections?f=json").json()
    assert "diem-thu" in {c["id"] for c in coll["collections"]}
    fc = client.get("/ogc/collections/diem-thu/items?so_luong=2").json()
    assert fc["numberMatched"] == 1
    f = fc["features"][0]
    assert f["properties"]["ten"] == "Điểm 2" and f["properties"]["commune"]
    assert f["geometry"]["coordinates"] == pytest.approx([DONG_XOAI[0] + 0.02, DONG_XOAI[1] + 0.02])
    assert "diem-thu" in client.get("/").content.decode()


def test_geopackage_shapefile_zip_and_folder(tmp_path):
    gdf = sample_gdf()
    gdf.to_file(tmp_path / "a.gpkg", driver="GPKG", layer="diem")
    assert import_layer_file(path=tmp_path / "a.gpkg", layer_id="from-gpkg").features == 3
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    gdf.to_file(shp_dir / "diem.shp")
    assert import_layer_file(path=shp_dir, layer_id="from-folder").features == 3
    with zipfile.ZipFile(tmp_path / "diem.zip", "w") as z:
        for part in shp_dir.iterdir():
            z.write(part, part.name)
    assert import_layer_file(path=tmp_path / "diem.zip", layer_id="from-zip").features == 3


def test_csv_with_lon_lat(tmp_path):
    path = tmp_path / "cho.csv"
    path.write_text("ten,ngay,kinh_do,vi_do\nChợ A,2025-01-02,106.88,11.53\nChợ B,2025-02-03,106.61,11.65\n",
                    encoding="utf-8")
    report = import_layer_file(path=path, layer_id="cho", lon_field="kinh_do", lat_field="vi_do")
    assert report.features == 2
    rec = ImportedLayer.objects.get(slug="cho")
    assert rec.time_field == "ngay"


def test_vn2000_known_point_lands_within_a_decimetre(tmp_path):
    """VN-2000 / TM-3 106-15 (EPSG:9212) with PROJ's "VN-2000 to WGS 84 (2)": a point given in
    VN-2000 must come out where that transformation puts it, not ~200 m off (no datum shift)."""
    x, y = 568850.1208, 1275706.9448  # VN-2000 coordinates of (106.883, 11.535) WGS 84
    gdf = gpd.GeoDataFrame({"ten": ["mốc"]}, geometry=[Point(x, y)], crs="EPSG:9212")
    gdf.to_file(tmp_path / "vn2000.gpkg", driver="GPKG")
    report = import_layer_file(path=tmp_path / "vn2000.gpkg", layer_id="moc-vn2000")
    assert "9212" in report.source_crs
    with connection.cursor() as cur:
        cur.execute("SELECT ST_X(geom), ST_Y(geom) FROM imported.l_moc_vn2000")
        lon, lat = cur.fetchone()
    assert Transformer.from_crs(9212, 4326, always_xy=True).description.find("VN-2000 to WGS 84 (2)") >= 0
    geod_err = ((lon - DONG_XOAI[0]) * 109_000) ** 2 + ((lat - DONG_XOAI[1]) * 110_600) ** 2
    assert geod_err ** 0.5 < 0.1


def test_utm48n_and_declared_crs_for_files_without_one(tmp_path):
    sample_gdf("EPSG:32648").to_file(tmp_path / "utm.gpkg", driver="GPKG")
    import_layer_file(path=tmp_path / "utm.gpkg", layer_id="utm")
    path = tmp_path / "noprj.csv"
    path.write_text("ten,x,y\nA,568850.1208,1275706.9448\n")
    import_layer_file(path=path, layer_id="noprj", crs="VN2000")
    with connection.cursor() as cur:
        cur.execute("SELECT ST_X(geom), ST_Y(geom) FROM imported.l_noprj")
        assert cur.fetchone() == pytest.approx(DONG_XOAI, abs=2e-6)


def test_invalid_polygon_is_repaired_and_reported(tmp_path):
    bowtie = Polygon([(106.88, 11.53), (106.89, 11.54), (106.89, 11.53), (106.88, 11.54), (106.88, 11.53)])
    square = Polygon([(106.9, 11.5), (106.91, 11.5), (106.91, 11.51), (106.9, 11.51)])
    gpd.GeoDataFrame({"ten": ["nơ", "vuông"]}, geometry=[bowtie, square], crs=4326).to_file(tmp_path / "p.geojson")
    report = import_layer_file(path=tmp_path / "p.geojson", layer_id="vung")
    assert report.repaired == [1]
    assert report.geometry_type == "MultiPolygon"
    with connection.cursor() as cur:
        cur.execute("SELECT bool_and(ST_IsValid(geom)) FROM imported.l_vung")
        assert cur.fetchone()[0] is True


def test_unusable_rows_abort_unless_skipped(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("ten,lon,lat\nA,106.88,11.53\nB,không,11.6\n")
    with pytest.raises(ImportError_, match="row 3: longitude/latitude are not numbers"):
        import_layer_file(path=path, layer_id="bad-rows")
    assert not table_exists("l_bad_rows") and not ImportedLayer.objects.filter(slug="bad-rows").exists()
    report = import_layer_file(path=path, layer_id="bad-rows", skip_invalid=True)
    assert report.features == 1 and report.rejected


@pytest.mark.parametrize("content,name,message", [
    (b"garbage", "broken.geojson", "cannot read"),
    (b"PK\x03\x04 not really", "broken.zip", "not a valid zip"),
    (b"ten,lon,lat\n", "empty.csv", "no features"),
    (b"a,b\n1,2\n", "nocoords.csv", "no longitude/latitude"),
])
def test_broken_files_leave_nothing_behind(tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)
    before = ImportedLayer.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("import_layer", str(path), "--layer", "hong")
    assert ImportedLayer.objects.count() == before
    assert not table_exists("l_hong")


def test_failure_inside_the_database_rolls_everything_back(tmp_path, monkeypatch):
    sample_gdf().to_file(tmp_path / "a.geojson")

    def boom(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing.ImportedLayer.objects, "create", boom)
    with pytest.raises(RuntimeError):
        import_layer_file(path=tmp_path / "a.geojson", layer_id="half")
    assert not table_exists("l_half")


def test_options_are_checked(tmp_path):
    sample_gdf().to_file(tmp_path / "a.geojson")
    with pytest.raises(ImportError_, match="slug"):
        import_layer_file(path=tmp_path / "a.geojson", layer_id="Bad Name")
    with pytest.raises(ImportError_, match="built-in"):
        import_layer_file(path=tmp_path / "a.geojson", layer_id="schools")
    with pytest.raises(ImportError_, match="already declares"):
        import_layer_file(path=tmp_path / "a.geojson", layer_id="x", crs="EPSG:9212")
    import_layer_file(path=tmp_path / "a.geojson", layer_id="twice")
    with pytest.raises(ImportError_, match="already exists"):
        import_layer_file(path=tmp_path / "a.geojson", layer_id="twice")
    assert import_layer_file(path=tmp_path / "a.geojson", layer_id="twice", replace=True).features == 3
    mixed = gpd.GeoDataFrame({"a": [1, 2]}, geometry=[Point(106.9, 11.5), Polygon([(106.9, 11.5), (106.91, 11.5), (106.9, 11.51)])], crs=4326)
    mixed.to_file(tmp_path / "mixed.geojson")
    with pytest.raises(ImportError_, match="mixed"):
        import_layer_file(path=tmp_path / "mixed.geojson", layer_id="mixed")
