import os
import re
import subprocess
import sys

import pytest
from django.contrib.auth.models import User

from gis_server.env import Env
from tests.helpers import ROOT


def test_healthz_reports_postgis(client, db):
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["database"] == "ok"
    assert body["postgis"].startswith("3.")


def test_database_url_is_parsed():
    env = Env.from_environ({"DATABASE_URL": "postgis://gis:s%40cret@db.example:5433/ioc_prod"})
    db = env.database()
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"], db["PASSWORD"]) == (
        "db.example", "5433", "ioc_prod", "gis", "s@cret")


def test_embedded_cluster_is_the_default():
    db = Env.from_environ({}).database()
    assert db["HOST"].endswith("var/run") and db["PORT"] == "54329" and db["NAME"] == "ioc"


def test_security_headers(client, db):
    r = client.get("/")
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["X-Frame-Options"] == "DENY"


def run_check(**env):
    base = {k: v for k, v in os.environ.items() if k not in ("IOC_SECRET_KEY", "IOC_DEBUG")}
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env={**base, **env},
                          capture_output=True, text=True, timeout=120)


def test_the_server_refuses_the_public_default_secret_key(tmp_path):
    """Issue 10, defect 10: no silent start with a key everybody knows."""
    r = run_check(IOC_SECRET_KEY_FILE=str(tmp_path / "none"))
    assert r.returncode != 0 and "secret key" in r.stderr and "Traceback" not in r.stderr
    assert run_check(IOC_SECRET_KEY_FILE=str(tmp_path / "none"), IOC_DEBUG="1").returncode == 0
    (tmp_path / "key").write_text("a-per-installation-key-" + "x" * 40)
    assert run_check(IOC_SECRET_KEY_FILE=str(tmp_path / "key")).returncode == 0


@pytest.mark.parametrize("path", ["/", "/dashboard/", "/dashboard/health/", "/field/", "/dashboard/supply/"])
def test_our_pages_carry_a_content_security_policy_without_inline_scripts(client, db, path):
    client.force_login(User.objects.get(username="admin"))
    r = client.get(path)
    assert r.status_code == 200
    csp = r["Content-Security-Policy"]
    script = next(d for d in csp.split("; ") if d.startswith("script-src"))
    assert script == "script-src 'self'" and "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp
    assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\")=?)[^>]*>", r.content.decode())


def test_hsts_is_sent_over_https_only(client, db):
    assert "Strict-Transport-Security" not in client.get("/healthz")
    assert client.get("/healthz", secure=True)["Strict-Transport-Security"].startswith("max-age=31536000")
