"""Roles, scopes and access levels on every path."""


import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection

from gis_server.models import ApiToken
from layers.importing import import_layer_file
from tests.helpers import basic

pytestmark = pytest.mark.django_db

RESTRICTED = "security-incidents"


def token_for(username):
    _, key = ApiToken.issue(User.objects.get(username=username), "test")
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


PATHS = [
    "/ogc/collections/{l}", "/ogc/collections/{l}/items", "/ogc/collections/{l}/items/1",
    "/ogc/collections/{l}/queryables", "/export/{l}?format=csv",
    "/api/layers/{l}/items/1/history", "/api/layers/{l}/items/1/photos", "/api/layers/{l}/time",
]


@pytest.mark.parametrize("path", PATHS)
def test_anonymous_users_never_learn_that_a_restricted_layer_exists(client, path):
    r = client.get(path.format(l=RESTRICTED), HTTP_ACCEPT="application/json")
    assert r.status_code in (401, 404)
    assert RESTRICTED not in r.content.decode().replace(f"'{RESTRICTED}'", "")  # only echoes the id asked for


def test_restricted_layer_is_absent_from_every_listing_for_anonymous_and_plain_staff(client):
    for headers in ({}, basic("viewer"), basic("editor")):
        for url in ("/ogc/collections?f=json", "/ogc/openapi?f=json", "/ogc?f=json", "/"):
            body = client.get(url, **headers).content.decode()
            assert RESTRICTED not in body, (url, headers)


@pytest.mark.parametrize("who", ["security", "admin"])
def test_named_roles_and_administrators_see_the_restricted_layer(client, who):
    h = basic(who)
    ids = {c["id"] for c in client.get("/ogc/collections?f=json", **h).json()["collections"]}
    assert RESTRICTED in ids
    fc = client.get(f"/ogc/collections/{RESTRICTED}/items?limit=5", **h).json()
    assert fc["numberMatched"] > 500 and "reporter_name" in fc["features"][0]["properties"]
    assert f"/collections/{RESTRICTED}/items" in client.get("/ogc/openapi?f=json", **h).content.decode()


def test_tokens_authenticate_and_can_be_revoked(client):
    _, key = ApiToken.issue(User.objects.get(username="security"), "QGIS")
    h = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.get(f"/ogc/collections/{RESTRICTED}", **h).status_code == 200
    assert client.get(f"/ogc/collections/{RESTRICTED}", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    ApiToken.objects.get(user__username="security").revoke()
    r = client.get(f"/ogc/collections/{RESTRICTED}", **h)
    assert r.status_code == 401 and "revoked" in r.json()["description"]
    assert ApiToken.objects.filter(key_hash=key).count() == 0  # only the hash is stored


def test_token_page_creates_and_revokes(client):
    client.force_login(User.objects.get(username="viewer"))
    r = client.post("/accounts/tokens/", {"name": "QGIS văn phòng"})
    assert r.status_code == 200 and "ioc_" in r.content.decode()
    tok = ApiToken.objects.get(user__username="viewer")
    client.post("/accounts/tokens/", {"revoke": tok.pk})
    tok.refresh_from_db()
    assert tok.revoked_at is not None


def test_wrong_basic_credentials_are_refused_and_repeated_failures_lock_out(client):
    r = client.get("/ogc/collections", **basic("viewer", "wrong"))
    assert r.status_code == 401 and r["WWW-Authenticate"].startswith("Basic")
    for _ in range(6):
        client.get("/ogc/collections", **basic("viewer", "wrong"))
    r = client.get("/ogc/collections", **basic("viewer"))  # right password, but locked out
    assert r.status_code == 403 and "too many" in r.json()["description"]


def test_login_form_locks_out_after_repeated_failures(client):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "operator", "password": "nope"})
    r = client.post("/accounts/login/", {"username": "operator", "password": "demo1234"})
    assert r.status_code in (403, 429) or "_auth_user_id" not in client.session


def test_internal_layers_need_a_login(client):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "noi_bo.csv"
        p.write_text("ten,lon,lat\nA,106.88,11.53\n")
        import_layer_file(path=p, layer_id="noi-bo", access="internal")
    assert client.get("/ogc/collections/noi-bo").status_code == 404
    assert "noi-bo" not in client.get("/ogc/collections?f=json").content.decode()
    assert client.get("/ogc/collections/noi-bo?f=json", **basic("viewer")).status_code == 200


def test_export_respects_access(client):
    assert client.get(f"/export/{RESTRICTED}?format=csv").status_code == 404
    r = client.get(f"/export/{RESTRICTED}?format=csv", **basic("security"))
    assert r.status_code == 200
    text = r.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("id,") and len(text.splitlines()) > 500


def test_history_needs_a_login(client):
    r = client.get("/api/layers/schools/items/1/history")
    assert r.status_code == 401
    with connection.cursor() as cur:
        cur.execute("UPDATE layers_school SET students = students + 1 WHERE id = 1")
    h = client.get("/api/layers/schools/items/1/history", **basic("viewer")).json()
    assert h["events"][-1]["by"] == "database" and h["can_restore"] is False
