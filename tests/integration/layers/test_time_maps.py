"""Time maps: what /api/layers/<id>/time offers a map (indicators, levels, periods, the default
period) and that it follows the layer's access level."""

from datetime import date

import pytest

from layers.registry import get_layer
from layers.selectors import layer_time_dimensions
from tests.helpers import basic

pytestmark = pytest.mark.django_db


def test_socioeconomic_indicators_with_thresholds_levels_and_periods(client):
    r = client.get("/api/layers/socioeconomic-indicators/time")
    assert r.status_code == 200
    body = r.json()
    assert body["period"] == "month" and body["dimension"] == "indicator" and body["level"] == "level"
    assert [lv["code"] for lv in body["levels"]] == ["district", "commune"]
    assert body["levels"][0]["name"] == "Cấp huyện"
    budget = next(d for d in body["dimensions"] if d["code"] == "budget_revenue_pct")
    assert budget["name"] == "Tỷ lệ thu ngân sách so với kế hoạch" and budget["unit"] == "%"
    assert budget["warning"] == 95 and budget["critical"] == 85 and budget["higher_is_better"] is True
    assert budget["periods"] == sorted(budget["periods"]) and budget["default"] in budget["periods"]
    assert [m["name"] for m in body["measures"]] == ["value", "pct_of_plan"]


def test_the_default_is_the_latest_complete_period():
    spec = get_layer("cyber-threats")
    found = layer_time_dimensions(spec=spec, lang="vi")["dimensions"][0]
    latest = date.fromisoformat(found["periods"][-1])
    during = layer_time_dimensions(spec=spec, lang="vi", today=latest.replace(day=15))["dimensions"][0]
    assert during["partial"] == [latest.isoformat()] and during["default"] == found["periods"][-2]
    after = layer_time_dimensions(spec=spec, lang="vi", today=date(latest.year + 1, 1, 1))["dimensions"][0]
    assert after["partial"] == [] and after["default"] == latest.isoformat()


def test_names_follow_the_page_language(client):
    client.cookies["django_language"] = "en"  # what the VI/EN switch sets
    body = client.get("/api/layers/disease-cases-weekly/time").json()
    assert {d["code"]: d["name"] for d in body["dimensions"]} == {
        "dengue": "Dengue fever", "hfmd": "Hand, foot and mouth disease"}
    assert body["period"] == "week"


def test_an_internal_layer_is_not_found_for_anonymous_users_and_a_plain_layer_has_no_time_map(client):
    assert client.get("/api/layers/cyber-threats/time").status_code == 404
    assert client.get("/api/layers/cyber-threats/time", **basic("viewer")).status_code == 200
    r = client.get("/api/layers/schools/time")
    assert r.status_code == 404 and "no time map" in r.json()["description"]
