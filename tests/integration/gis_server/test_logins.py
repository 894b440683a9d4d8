"""Lock-outs an attacker cannot extend, the real client address behind a proxy, an
administrator's unlock, and Basic credentials that cost one password hash a minute
(issue 10, defects 3 and 4)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings

from gis_server.auth import FAILED_BASIC_PER_WINDOW, client_ip
from tests.helpers import basic

pytestmark = pytest.mark.django_db
PROXY = {"IOC_TRUSTED_PROXY_HEADER": "X-Forwarded-For", "IOC_TRUSTED_PROXY_COUNT": 1}


def fail(client, user="viewer", times=5, **extra):
    for _ in range(times):
        assert client.get("/ogc/collections", **basic(user, "wrong"), **extra).status_code in (401, 403)


def test_attempts_during_a_lock_out_do_not_extend_it(client):
    fail(client)
    locked_at = AccessAttempt.objects.get(username="viewer").attempt_time
    for _ in range(3):  # the attacker keeps trying, the right password too
        assert client.get("/ogc/collections", **basic("viewer", "wrong")).status_code == 403
        assert client.get("/ogc/collections", **basic("viewer")).status_code == 403
    assert AccessAttempt.objects.get(username="viewer").attempt_time == locked_at
    AccessAttempt.objects.update(attempt_time=locked_at - timedelta(minutes=16))  # the cool-off has passed
    assert client.get("/ogc/collections", **basic("viewer")).status_code == 200


def test_an_administrator_unlocks_an_account_with_a_command(client):
    fail(client, user="operator")
    assert client.get("/ogc/collections", **basic("operator")).status_code == 403
    call_command("axes_reset_username", "operator")
    assert client.get("/ogc/collections", **basic("operator")).status_code == 200


@override_settings(**PROXY)
def test_behind_the_proxy_one_client_cannot_lock_out_another(client):
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    office = {"HTTP_X_FORWARDED_FOR": "198.51.100.20"}
    fail(client, user="admin", **attacker)
    assert client.get("/ogc/collections", **basic("admin"), **attacker).status_code == 403
    assert client.get("/ogc/collections", **basic("admin"), **office).status_code == 200


@override_settings(**PROXY)
def test_the_client_address_is_the_one_the_trusted_proxy_appended():
    class Req:
        META = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.20"}
    assert client_ip(Req()) == "198.51.100.20"  # what the client wrote on the left is ignored
    Req.META = {"REMOTE_ADDR": "10.0.0.2"}
    assert client_ip(Req()) == "10.0.0.2"


def test_without_a_proxy_setting_forwarded_headers_are_ignored():
    class Req:
        META = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.20"}
    assert client_ip(Req()) == "10.0.0.2"


def test_a_good_basic_check_is_remembered_until_the_password_changes(client, monkeypatch):
    hashed = []
    original = User.check_password
    monkeypatch.setattr(User, "check_password", lambda self, raw: hashed.append(1) or original(self, raw))
    for _ in range(5):
        assert client.get("/ogc/collections", **basic("editor")).status_code == 200
    assert len(hashed) == 1  # one password hash, then the remembered check
    u = User.objects.get(username="editor")
    u.set_password("new-password-2026")
    u.save()
    assert client.get("/ogc/collections", **basic("editor")).status_code == 401
    assert client.get("/ogc/collections", **basic("editor", "new-password-2026")).status_code == 200


def test_basic_with_random_user_names_is_throttled_per_address(client):
    for i in range(FAILED_BASIC_PER_WINDOW):
        assert client.get("/healthz", **basic(f"nobody{i}", "x")).status_code == 401
    r = client.get("/healthz", **basic("nobody-else", "x"))
    assert r.status_code == 429 and r.json()["code"] == "TooManyRequests" and r["Retry-After"]
    assert client.get("/healthz").status_code == 200  # requests without credentials are not throttled


def test_browsers_get_no_basic_challenge_and_cross_site_basic_is_refused(client):
    """A browser keeps Basic credentials and re-sends them, also for another site's form."""
    r = client.get("/ogc/collections/alerts/items", HTTP_SEC_FETCH_MODE="cors")
    assert r.status_code in (401, 404) and "WWW-Authenticate" not in r
    assert client.get("/api/layers/schools/items/1/history")["WWW-Authenticate"].startswith("Basic")  # API clients
    r = client.post("/api/alerts/1/resolve", **basic("operator"), HTTP_SEC_FETCH_SITE="cross-site")
    assert r.status_code == 403 and "token" in r.json()["description"]
    assert client.get("/ogc/collections", **basic("viewer"), HTTP_SEC_FETCH_SITE="same-origin").status_code == 200
