import numpy as np
import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from demo import places as demo_places
from demo import vectors as demo
from layers.models import AdminUnit, HealthFacility, LandParcel, School, TrafficAccident

pytestmark = pytest.mark.django_db


def test_eleven_districts_with_real_names_and_about_110_communes():
    districts = AdminUnit.objects.filter(level="district")
    assert districts.count() == 11
    names = set(districts.values_list("name", flat=True))
    assert {"Đồng Xoài", "Bình Long", "Phước Long", "Chơn Thành", "Bù Đăng", "Bù Đốp", "Bù Gia Mập",
            "Đồng Phú", "Hớn Quản", "Lộc Ninh", "Phú Riềng"} == names
    communes = AdminUnit.objects.filter(level="commune")
    assert 100 <= communes.count() <= 120
    assert not communes.filter(parent__level__in=["province", "commune"]).exists()
    province = AdminUnit.objects.get(level="province")
    assert province.name == "Bình Phước" and province.code == "70"


def test_district_seats_lie_in_their_district():
    for code, _kind, name, _en, (lon, lat), _gen, _c in demo_places.DISTRICTS:
        unit = AdminUnit.objects.get(code=code)
        assert unit.geom.contains(Point(lon, lat, srid=4326)), name


def test_communes_tile_their_district():
    with connection.cursor() as cur:
        cur.execute("""
            SELECT d.name, ST_Area(ST_SymDifference(d.geom, ST_Union(c.geom))) / ST_Area(d.geom)
              FROM layers_adminunit d JOIN layers_adminunit c ON c.parent_id = d.id
             WHERE d.level = 'district' GROUP BY d.id""")
        for name, rel_diff in cur.fetchall():
            assert rel_diff < 1e-9, name


@pytest.mark.parametrize("model", [School, HealthFacility, TrafficAccident, LandParcel])
def test_every_demo_feature_knows_its_commune_and_lies_in_the_province(model):
    assert model.objects.count() > 0
    assert not model.objects.filter(commune__isnull=True).exists()
    province = AdminUnit.objects.get(level="province")
    assert not model.objects.exclude(geom__intersects=province.geom.buffer(0.001)).exists()


def test_commune_is_joined_on_save_by_orm_and_by_raw_sql():
    commune = AdminUnit.objects.filter(level="commune").order_by("code")[5]
    inside = commune.geom.point_on_surface
    school = School.objects.create(name="Trường thử", level="thcs", students=10, teachers=2, geom=inside)
    school.refresh_from_db()
    assert school.commune_id == commune.id
    other = AdminUnit.objects.filter(level="commune").exclude(id=commune.id).first()
    with connection.cursor() as cur:
        cur.execute("UPDATE layers_school SET geom = ST_PointOnSurface(%s::geometry) WHERE id = %s",
                    [other.geom.ewkt, school.id])
    school.refresh_from_db()
    assert school.commune_id == other.id


def test_demo_attributes_are_plausible():
    assert School.objects.filter(level="thpt").count() >= 11
    assert set(School.objects.values_list("level", flat=True)) == {"mam_non", "tieu_hoc", "thcs", "thpt"}
    assert set(HealthFacility.objects.values_list("kind", flat=True)) == {"hospital", "clinic", "station"}
    assert {"LUC", "CLN", "ONT", "ODT", "RSX"} <= set(LandParcel.objects.values_list("land_use", flat=True))
    p = LandParcel.objects.order_by("-pk").first()  # the end-to-end tests reshape the first one
    assert 100 < p.area_m2 < 10_000
    assert abs(p.geom.transform(32648, clone=True).area - p.area_m2) / p.area_m2 < 0.01


def test_generation_is_deterministic():
    a = demo.build_admin_units(np.random.default_rng(7))
    b = demo.build_admin_units(np.random.default_rng(7))
    assert [u.geom.wkt for u in a] == [u.geom.wkt for u in b]
    assert [u.population for u in a] == [u.population for u in b]
