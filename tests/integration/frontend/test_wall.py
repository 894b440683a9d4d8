"""The operations wall (/wall/) and the JSON it polls (/api/wall): who may see it, what it shows
to whom, the order of the alert feed, and that a refresh reflects an action at once."""

import json
import re

import pytest
from django.contrib.auth.models import User

from frontend.wall_views import FIGURES_SHOWN, wall_payload
from layers.models import AdminUnit, Alert
from operations import alerts
from tests.helpers import basic

pytestmark = pytest.mark.django_db


def _login(client, username):
    client.force_login(User.objects.get(username=username))


def _open_alert(domain, severity, key):
    unit = AdminUnit.objects.filter(level="district").first()
    return Alert.objects.create(key=key, rule="test", domain=domain, severity=severity, title=f"Thử {key}",
                                value=1, threshold=0, unit=unit, geom="SRID=4326;POINT(106.9 11.7)")


def test_the_wall_needs_a_login(client):
    r = client.get("/wall/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    r = client.get("/api/wall")
    assert r.status_code == 401
    assert set(r.json()) >= {"code", "description"}


def test_the_wall_page_is_a_standalone_dark_page_with_its_data_in_json_blocks(client):
    _login(client, "admin")
    r = client.get("/wall/")
    assert r.status_code == 200
    page = r.content.decode()
    assert "portal.css" not in page and "frontend/wall.css" in page  # nothing that forces the light layout
    for src in ("leaflet/leaflet.js", "frontend/common.js", "frontend/basemap.js", "frontend/wall.js"):
        assert f'src="/static/{src}"' in page
    assert not re.search(r'(src|href)="https?://', page)  # no CDN
    # every script either loads a file of ours or is a JSON data block (the CSP forbids inline code)
    for tag in re.findall(r"<script[^>]*>", page):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    ids = re.findall(r'<script id="([\w-]+)" type="application/json">', page)
    assert {"province", "wall-config", "wall-data"} <= set(ids)
    assert "Content-Security-Policy" in r.headers
    config = r.context["wall_config"]
    assert config["refresh"] <= 60 and config["rotate"] == 0
    assert {"admin-districts", "alerts", "traffic-accidents", "citizen-reports"} <= set(config["live"])
    assert "filter=resolved_at+IS+NULL" in config["queries"]["alerts"]


@pytest.mark.parametrize(("query", "seconds"), [("", 0), ("?rotate=abc", 0), ("?rotate=%C2%B2", 0),
                                                ("?rotate=2", 10), ("?rotate=45", 45), ("?rotate=999999", 3600)])
def test_rotation_is_asked_for_in_seconds(client, query, seconds):
    _login(client, "viewer")
    assert client.get(f"/wall/{query}").context["wall_config"]["rotate"] == seconds


def test_viewers_see_only_the_domains_and_layers_they_may_read(client):
    _login(client, "viewer")
    config = client.get("/wall/").context["wall_config"]
    layer_ids = {lyr["id"] for lyr in config["layers"]}
    assert "security-incidents" not in layer_ids and "security" not in {d["id"] for d in config["domains"]}
    assert "land-parcels" not in layer_ids  # too big for the province's zoom
    cards = client.get("/api/wall").json()["cards"]
    assert "security" not in {c["domain"] for c in cards} and len(cards) == 10
    _login(client, "security")
    assert "security" in {c["domain"] for c in client.get("/api/wall").json()["cards"]}
    assert "security-incidents" in {lyr["id"] for lyr in client.get("/wall/").context["wall_config"]["layers"]}


def test_cards_are_compact_with_unit_period_and_a_state_word(client):
    data = client.get("/api/wall", **basic("admin")).json()
    assert len(data["cards"]) == 11
    for card in data["cards"]:
        assert card["title"] and card["state"] in ("green", "amber", "red", "grey") and card["state_label"]
        assert 1 <= len(card["figures"]) <= FIGURES_SHOWN
        for f in card["figures"]:
            assert f["label"] and f["period"], (card["domain"], f)
        assert card["url"].startswith("/dashboard/")


def test_the_feed_puts_critical_first_and_follows_the_alerts_visibility(client):
    alerts.evaluate()
    hidden = _open_alert("security", "critical", "test:security")
    warning = _open_alert("health", "warning", "test:health-w")
    critical = _open_alert("health", "critical", "test:health-c")
    for user, sees_security in (("viewer", False), ("admin", True)):
        data = client.get("/api/wall", **basic(user)).json()
        feed = data["alerts"]
        ranks = [0 if a["severity"] == "critical" else 1 for a in feed]
        assert ranks == sorted(ranks), user  # critical first
        ids = [a["id"] for a in feed]
        assert critical.pk in ids and warning.pk in ids
        assert (hidden.pk in ids) is sees_security, user
        assert data["counts"]["total"] == len(feed)  # fewer than the feed sends: every one is listed
        a = next(a for a in feed if a["id"] == critical.pk)
        assert a["domain_title"] == "Y tế" and a["unit_name"] and a["severity_label"] == "Nghiêm trọng"
        assert "T" in a["opened_at"]  # ISO: the page writes the age in its language
    assert data["counts"]["critical"] == sum(a["severity"] == "critical" for a in data["alerts"])


def test_a_refresh_reflects_an_alert_closed_meanwhile(client):
    a = _open_alert("traffic", "critical", "test:refresh")
    before = client.get("/api/wall", **basic("operator")).json()
    assert a.pk in [x["id"] for x in before["alerts"]]
    assert client.post(f"/api/alerts/{a.pk}/resolve", **basic("operator")).status_code == 200
    after = client.get("/api/wall", **basic("operator")).json()
    assert a.pk not in [x["id"] for x in after["alerts"]]
    assert after["counts"]["total"] == before["counts"]["total"] - 1
    assert after["generated_at"] >= before["generated_at"]


def test_no_alerts_layer_no_feed():
    payload = wall_payload(readable_ids={"schools", "admin-districts"}, lang="vi")
    assert payload["alerts"] is None and payload["counts"] is None
    assert [c["domain"] for c in payload["cards"]] == ["education"]


def test_the_english_wall_speaks_english(client):
    _login(client, "admin")
    client.cookies["django_language"] = "en"
    r = client.get("/wall/")
    assert '<html lang="en"' in r.content.decode()
    data = json.loads(client.get("/api/wall").content)
    assert "Traffic safety" in {c["title"] for c in data["cards"]}
