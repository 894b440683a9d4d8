"""Tests run against a real PostGIS: the embedded cluster (or DATABASE_URL) gets a throwaway
test database, loaded once per session with a small deterministic demo."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests
from django.db import connection

from layers import registry
from ogc import api as ogc_api

ROOT = Path(__file__).resolve().parent.parent
TEST_PARCELS = 3000


MEDIA = Path(tempfile.mkdtemp(prefix="ioc-test-media-"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.conf import settings

    from layers.demo import load_demo
    from layers.models import AdminUnit
    from rasters.demo import build_demo_rasters
    from rasters.zonal import refresh_zonal_layers

    settings.MEDIA_ROOT = MEDIA  # rasters and photos of the test session live in a temporary folder
    with django_db_blocker.unblock():
        if not AdminUnit.objects.exists():
            load_demo(parcels=TEST_PARCELS)
        build_demo_rasters()
        refresh_zonal_layers()


@pytest.fixture(autouse=True)
def _fresh_registry():
    """Imports in one test are rolled back; no cached registry or API may outlive them."""
    from rasters.access import invalidate as invalidate_rasters

    registry.invalidate()
    invalidate_rasters()
    ogc_api.clear()
    yield
    registry.invalidate()
    invalidate_rasters()
    ogc_api.clear()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env_extra: dict, port: int) -> subprocess.Popen:
    env = {**os.environ, **env_extra}
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "gis_server.wsgi", "-b", f"127.0.0.1:{port}",
         "--workers", "2", "--timeout", "60", "--no-control-socket"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
            return proc
        except requests.RequestException:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("server did not start in 60 s")


@pytest.fixture(scope="session")
def live_url(django_db_setup, django_db_blocker):
    """A real server (gunicorn, 2 workers) on the session's test database with the demo."""
    with django_db_blocker.unblock():
        name = connection.settings_dict["NAME"]
    port = free_port()
    proc = start_server({"IOC_DB_NAME": name, "IOC_MEDIA_ROOT": str(MEDIA)}, port)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(10)
