"""The database goes away and comes back: /healthz says 503, pages fail cleanly, then the
server recovers by itself. Uses a throwaway PostgreSQL cluster of its own."""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

from tests.helpers import ROOT, free_port, start_server

pytestmark = pytest.mark.skipif(os.environ.get("DATABASE_URL") is not None,
                                reason="needs the embedded PostgreSQL binaries")


def pg(action: str, env: dict) -> None:
    subprocess.run([str(ROOT / "scripts" / "pg.sh"), action], env={**os.environ, **env}, check=True,
                   capture_output=True, timeout=120)


@pytest.fixture
def own_cluster():
    base = Path(tempfile.mkdtemp(prefix="pgdown-", dir=ROOT / "var"))
    base.chmod(0o755)
    env = {"IOC_PG_DATA": str(base / "data"), "IOC_PG_SOCKET_DIR": str(base / "run"),
           "IOC_PG_PORT": str(free_port())}
    pg("start", env)
    yield env
    pg("stop", env)
    shutil.rmtree(base, ignore_errors=True)


def test_healthz_503_while_the_database_is_down_then_recovers(own_cluster):
    port = free_port()
    server = start_server({**own_cluster, "IOC_DB_NAME": "ioc"}, port)
    url = f"http://127.0.0.1:{port}"
    try:
        r = requests.get(f"{url}/healthz", timeout=10)
        assert r.status_code == 200 and r.json()["database"] == "ok"
        pg("stop", own_cluster)
        r = requests.get(f"{url}/healthz", timeout=10)
        assert r.status_code == 503 and r.json()["database"] == "unreachable"
        r = requests.get(f"{url}/ogc/collections?f=json", timeout=10)
        assert r.status_code == 503 and "database" in r.json()["description"]
        r = requests.get(f"{url}/", timeout=10)
        assert r.status_code == 503 and "database" in r.text
        # with credentials too: authentication reads the database before any view (issue 10, defect 2)
        for kwargs in ({"auth": ("admin", "demo1234")}, {"headers": {"Authorization": "Token ioc_abc"}}):
            for method, path in (("GET", "/healthz"), ("GET", "/ogc/collections?f=json"),
                                 ("POST", "/ogc/collections/schools/items")):
                r = requests.request(method, f"{url}{path}", timeout=10, json={}, **kwargs)
                assert r.status_code == 503, (method, path, r.status_code, r.text[:200])
                assert r.json()["code"] == "ServiceUnavailable" and r.headers["Retry-After"]
        pg("start", own_cluster)
        for _ in range(20):
            r = requests.get(f"{url}/healthz", timeout=10)
            if r.status_code == 200:
                break
            time.sleep(0.5)
        assert r.status_code == 200 and r.json()["database"] == "ok"
    finally:
        server.terminate()
        server.wait(10)
