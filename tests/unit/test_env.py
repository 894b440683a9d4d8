"""gis_server.env: typed settings from a given environment (never os.environ here)."""

import pytest

from gis_server.env import Env, Province

DEFAULT_BBOX = (106.35, 11.25, 107.55, 12.35)


def test_the_default_province_is_binh_phuoc():
    p = Env.from_environ({}).province
    assert p.name == "Bình Phước"
    assert p.name_en == "Binh Phuoc"
    assert p.code == "70"
    assert p.capital == "Đồng Xoài"
    assert p.bbox == DEFAULT_BBOX
    assert p.upstream_id == "ioc70"


def test_province_variables_override_the_defaults():
    p = Env.from_environ({
        "IOC_PROVINCE_NAME": "Đồng Nai", "IOC_PROVINCE_NAME_EN": "Dong Nai", "IOC_PROVINCE_CODE": "75",
        "IOC_PROVINCE_CAPITAL": "Biên Hòa", "IOC_PROVINCE_POSTAL_CODE": "810000",
        "IOC_PROVINCE_BBOX": "106.7,10.5,107.6,11.6", "IOC_PROVINCE_CENTRE": "11.0,107.1", "IOC_PROVINCE_ZOOM": "10",
    }).province
    assert (p.name, p.name_en, p.code, p.capital, p.postal_code) == ("Đồng Nai", "Dong Nai", "75", "Biên Hòa", "810000")
    assert p.bbox == (106.7, 10.5, 107.6, 11.6)
    assert p.centre == (11.0, 107.1)
    assert p.zoom == 10


def test_the_upstream_id_follows_the_province_code_unless_given():
    assert Env.from_environ({"IOC_PROVINCE_CODE": "75"}).province.upstream_id == "ioc75"
    assert Env.from_environ({"IOC_PROVINCE_CODE": "75", "IOC_UPSTREAM_ID": "dn"}).province.upstream_id == "dn"


def test_empty_province_variables_keep_the_defaults():
    p = Env.from_environ({"IOC_PROVINCE_NAME": "", "IOC_PROVINCE_BBOX": "", "IOC_PROVINCE_ZOOM": ""}).province
    assert p == Province()


@pytest.mark.parametrize("value", ["106,11,107", "106,11,107,12,13", "a,b,c,d", "106;11;107;12"])
def test_a_malformed_bbox_names_the_variable(value):
    with pytest.raises(ValueError, match="IOC_PROVINCE_BBOX"):
        Env.from_environ({"IOC_PROVINCE_BBOX": value})


def test_a_malformed_centre_names_the_variable():
    with pytest.raises(ValueError, match="IOC_PROVINCE_CENTRE"):
        Env.from_environ({"IOC_PROVINCE_CENTRE": "11.78"})


def test_map_bounds_are_south_west_then_north_east():
    assert Province().map_bounds() == [[11.25, 106.35], [12.35, 107.55]]
    assert Province(bbox=(1.0, 2.0, 3.0, 4.0)).map_bounds() == [[2.0, 1.0], [4.0, 3.0]]


def test_as_dict_names_the_province_in_the_page_language():
    p = Province()
    assert p.as_dict("vi")["name"] == "Bình Phước"
    assert p.as_dict("en")["name"] == "Binh Phuoc"
    assert p.as_dict()["bounds"] == p.map_bounds()
    assert p.as_dict()["code"] == "70"


def test_the_demo_password_has_a_default():
    assert Env.from_environ({}).demo_password == "demo1234"


def test_the_old_demo_password_variable_still_works():
    assert Env.from_environ({"DEMO_PASSWORD": "old-name"}).demo_password == "old-name"


def test_the_new_demo_password_variable_works():
    assert Env.from_environ({"IOC_DEMO_PASSWORD": "new-name"}).demo_password == "new-name"


def test_the_ioc_demo_password_wins_over_the_old_name():
    env = Env.from_environ({"IOC_DEMO_PASSWORD": "new-name", "DEMO_PASSWORD": "old-name"})
    assert env.demo_password == "new-name"


def test_without_replicas_there_is_only_the_default_database():
    assert list(Env.from_environ({}).databases()) == ["default"]


def test_read_replicas_become_numbered_databases_that_mirror_default_in_tests():
    env = Env.from_environ({
        "DATABASE_URL": "postgres://ioc:pw@primary:5432/ioc",
        "IOC_READ_REPLICAS": "postgres://ioc:pw@replica-a:5433/ioc, postgresql://ioc@replica-b/ioc",
    })
    dbs = env.databases()
    assert list(dbs) == ["default", "replica_1", "replica_2"]
    assert dbs["replica_1"]["HOST"] == "replica-a"
    assert dbs["replica_1"]["PORT"] == "5433"
    assert dbs["replica_2"]["HOST"] == "replica-b"
    assert dbs["replica_2"]["PORT"] == "5432"
    assert dbs["replica_1"]["TEST"] == {"MIRROR": "default"}
    assert dbs["replica_2"]["TEST"] == {"MIRROR": "default"}
    assert "TEST" not in dbs["default"]


def test_blank_entries_in_the_replica_list_are_ignored():
    env = Env.from_environ({"IOC_READ_REPLICAS": " , postgres://r1/ioc ,"})
    assert env.read_replicas == ("postgres://r1/ioc",)
    assert list(env.databases()) == ["default", "replica_1"]


def test_a_replica_url_of_another_scheme_is_refused_naming_the_variable():
    env = Env.from_environ({"IOC_READ_REPLICAS": "mysql://r1/ioc"})
    with pytest.raises(ValueError, match="IOC_READ_REPLICAS"):
        env.databases()


def test_database_url_is_parsed_into_django_settings():
    db = Env.from_environ({"DATABASE_URL": "postgis://me:p%40ss@db.example:6432/gis"}).database()
    assert db["ENGINE"] == "django.contrib.gis.db.backends.postgis"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "gis", "me", "p@ss", "db.example", "6432")


def test_ioc_db_name_overrides_the_name_in_the_url():
    db = Env.from_environ({"DATABASE_URL": "postgres://me@db/gis", "IOC_DB_NAME": "test_gis"}).database()
    assert db["NAME"] == "test_gis"


def test_without_database_url_the_embedded_cluster_is_used():
    env = Env.from_environ({"IOC_PG_PORT": "5999", "IOC_DB_NAME": "x"})
    db = env.database()
    assert (db["NAME"], db["PORT"]) == ("x", "5999")


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("true", True), (" Yes ", True), ("on", True),
                                                 ("0", False), ("no", False), ("", False)])
def test_debug_reads_the_usual_spellings_of_a_boolean(value, expected):
    assert Env.from_environ({"IOC_DEBUG": value}).debug is expected


def test_the_public_url_loses_its_trailing_slash():
    assert Env.from_environ({"IOC_PUBLIC_URL": "https://ioc.example.vn/"}).public_url == "https://ioc.example.vn"
