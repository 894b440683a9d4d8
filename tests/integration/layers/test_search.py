"""/api/search: accent-insensitive Vietnamese search over units, facilities and codes, within
the layers the reader may see (real PostGIS, the test session's demo)."""

import dataclasses
import unicodedata

import pytest

from layers import registry
from layers.models import AdminUnit, CitizenReport, Dossier, School
from layers.search import search_features
from tests.helpers import basic

pytestmark = pytest.mark.django_db


def search(client, q, headers=None, **params):
    r = client.get("/api/search", {"q": q, **params}, **(headers or {}))
    assert r.status_code == 200, r.content
    return r.json()["results"]


def loc_ninh() -> AdminUnit:
    return AdminUnit.objects.get(level="district", name="Lộc Ninh")


@pytest.mark.parametrize("q", ["loc ninh", "lộc ninh", "LOC NINH", "Lộc Ninh", "  loc   NINH ",
                               unicodedata.normalize("NFD", "lộc ninh")])
def test_every_spelling_of_loc_ninh_finds_the_district_first(client, q):
    results = search(client, q)
    first = results[0]
    assert first["kind"] == "unit" and first["layer"] == "admin-districts"
    assert first["name"] == "Huyện Lộc Ninh" and first["code"] == loc_ninh().code
    assert first["url"] == f"/?unit={loc_ninh().code}"
    assert first["context"] == "Tỉnh Bình Phước"
    xmin, ymin, xmax, ymax = first["bbox"]
    assert 106 < xmin < xmax < 107.5 and 11 < ymin < ymax < 12.5
    # the town of the same name next, then the features named after it
    assert results[1]["kind"] == "unit" and results[1]["name"].endswith("Lộc Ninh")
    assert any(r["kind"] == "feature" for r in results)


def test_d_with_stroke_folds_to_d(client):
    first = search(client, "dong xoai")[0]
    assert first["name"] == "Thành phố Đồng Xoài"
    assert search(client, "ĐỒNG XOÀI")[0]["code"] == first["code"]


def test_truong_tieu_hoc_finds_primary_schools(client):
    results = search(client, "truong tieu hoc", limit=5)
    assert len(results) == 5
    for r in results:
        assert r["name"].startswith("Trường Tiểu học") and r["layer"] == "schools"
        assert r["layer_title"] == "Trường học" and r["kind"] == "feature"
        assert r["url"] == f"/?layer=schools&feature={r['id']}"
        lon, lat = r["point"]
        assert 106 < lon < 107.5 and 11 < lat < 12.5
        assert r["context"].startswith(("Xã ", "Phường ", "Thị trấn "))  # its commune, then its district
    school = School.objects.get(pk=results[0]["id"])
    assert school.name == results[0]["name"]


def test_a_typo_still_finds_by_trigram_similarity(client):
    assert any(r["name"].startswith("Trạm Y tế") for r in search(client, "tram y te"))
    assert any(r["name"].startswith("Trạm Y tế") for r in search(client, "tran y te"))  # one letter wrong


def test_a_dossier_code_exact_and_by_prefix(client):
    dossier = Dossier.objects.select_related("centre").order_by("code").first()
    for headers in ({}, basic("viewer")):  # anyone may look up a whole code
        first = search(client, dossier.code.lower(), headers)[0]
        assert first["code"] == dossier.code and first["layer"] == "public-service-centres"
        assert first["name"] == dossier.procedure and first["id"] == dossier.centre_id
        assert first["context"].startswith(dossier.centre.name)
        assert first["url"] == f"/?layer=public-service-centres&feature={dossier.centre_id}"
    prefix = dossier.code[:-2]
    listed = [r["code"] for r in search(client, prefix, basic("viewer"))]
    assert listed[0] == dossier.code and len(listed) == 10 and all(c.startswith(prefix) for c in listed)
    assert search(client, prefix) == []  # listing dossiers by a prefix needs a login


def test_a_report_code_is_found_only_by_those_who_may_read_reports(client):
    report = CitizenReport.objects.order_by("code").first()
    assert registry.get_layer("citizen-reports").access == "internal"
    for q in (report.code, report.code[:-1], report.code.lower()):
        assert search(client, q) == []
    first = search(client, report.code, basic("viewer"))[0]
    assert first["code"] == report.code and first["layer"] == "citizen-reports"
    assert first["name"] == report.get_category_display() and first["id"] == report.pk
    assert first["url"] == f"/?layer=citizen-reports&feature={report.pk}"


@pytest.fixture
def restricted_schools(monkeypatch):
    """The schools layer made restricted to the security role, for one test."""
    declared = [dataclasses.replace(s, access="restricted", roles=("security",)) if s.id == "schools" else s
                for s in registry.static_layers()]
    monkeypatch.setattr(registry, "_declared", declared)
    registry.invalidate()


def test_a_restricted_layer_is_never_searched_for_those_who_may_not_read_it(client, restricted_schools):
    for headers in ({}, basic("viewer"), basic("editor")):
        results = search(client, "truong tieu hoc", headers, limit=50)
        assert all(r["layer"] != "schools" for r in results), headers
    results = search(client, "truong tieu hoc", basic("security"))
    assert results and all(r["layer"] == "schools" for r in results)


def test_a_layers_row_filter_applies_to_search(monkeypatch):
    """A layer whose rows follow other layers' access (alerts do this) shows only those rows."""
    one = School.objects.filter(name__startswith="Trường Tiểu học").order_by("pk").first()
    declared = [dataclasses.replace(s, row_filter=lambda audience: ("t.id = %s", [one.pk])) if s.id == "schools"
                else s for s in registry.static_layers()]
    monkeypatch.setattr(registry, "_declared", declared)
    registry.invalidate()
    results = search_features(q="truong tieu hoc", user=None, limit=50, lang="vi")
    assert [r.id for r in results if r.layer == "schools"] == [one.pk]


def test_english_titles_and_unit_names_in_the_english_ui(client):
    first = search(client, "loc ninh", lang="en")[0]
    assert first["name"] == "Loc Ninh District" and first["layer_title"] == "District boundaries"
    assert first["context"] == "Binh Phuoc Province"


def test_limit_is_respected(client):
    assert len(search(client, "truong", limit=3)) == 3
    assert len(search(client, "truong")) == 10
    assert len(search(client, "truong", limit=50)) == 50


def test_like_wildcards_are_plain_characters(client):
    assert search(client, "%") == [] and search(client, "_") == [] and search(client, "\\") == []


@pytest.mark.parametrize("params,field", [
    ({}, "q"), ({"q": ""}, "q"), ({"q": "   "}, "q"), ({"q": "a" * 101}, "q"), ({"q": "loc\x00ninh"}, "q"),
    ({"q": "loc", "limit": "0"}, "limit"), ({"q": "loc", "limit": "51"}, "limit"),
    ({"q": "loc", "limit": "abc"}, "limit"), ({"q": "loc", "limit": "-1"}, "limit"), ({"q": "loc", "limit": "²"}, "limit"),
])
def test_bad_input_is_a_400_naming_the_problem(client, params, field):
    r = client.get("/api/search", params)
    assert r.status_code == 400 and r["Content-Type"].startswith("application/json")
    body = r.json()
    assert body["code"] == "InvalidParameterValue" and field in body["errors"] and body["description"]


def test_a_query_of_100_characters_is_accepted(client):
    assert client.get("/api/search", {"q": "a" * 100}).status_code == 200


def test_only_get(client):
    assert client.post("/api/search", {"q": "loc ninh"}).status_code == 405
