"""Tests run against a real PostGIS: the embedded cluster (or DATABASE_URL) gets a throwaway
test database, loaded once per session with a small deterministic demo."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import pytest_django.fixtures
from django.conf import settings
from django.db import connection

from demo.loader import load_demo
from demo.rasters import build_demo_rasters
from gis_server.auth import _BasicCache
from layers import registry
from layers.models import AdminUnit
from ogc import api as ogc_api
from rasters.access import invalidate as invalidate_rasters
from rasters.zonal import refresh_zonal_layers
from tests.helpers import free_port, start_server

TEST_PARCELS = 3000
MEDIA = Path(tempfile.mkdtemp(prefix="ioc-test-media-"))
_databases_for_setup = pytest_django.fixtures._get_databases_for_setup


def _always_the_test_database(items):
    """pytest-django sets up the test database only when a collected test marks or asks for it
    (`db`); the browser and client tests reach it through `live_url` only, so run alone they ran
    against the development database (and wrote to it). Every session gets the test database."""
    aliases, serialized = _databases_for_setup(items)
    return aliases | {"default"}, serialized


pytest_django.fixtures._get_databases_for_setup = _always_the_test_database


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    settings.MEDIA_ROOT = MEDIA  # rasters and photos of the test session live in a temporary folder
    with django_db_blocker.unblock():
        if not AdminUnit.objects.exists():
            load_demo(parcels=TEST_PARCELS)
        build_demo_rasters()
        refresh_zonal_layers()


@pytest.fixture(autouse=True)
def _fresh_registry():
    """Imports in one test are rolled back; no cached registry, API or Basic check may outlive them."""
    _BasicCache.clear()
    registry.invalidate()
    invalidate_rasters()
    ogc_api.clear()
    yield
    registry.invalidate()
    invalidate_rasters()
    ogc_api.clear()


@pytest.fixture(scope="session")
def live_url(django_db_setup, django_db_blocker):
    """A real server (gunicorn, 2 workers) on the session's test database with the demo."""
    with django_db_blocker.unblock():
        name = connection.settings_dict["NAME"]
    assert name.startswith("test_"), f"the live server would run on {name}, not on a test database"
    port = free_port()
    proc = start_server({"IOC_DB_NAME": name, "IOC_MEDIA_ROOT": str(MEDIA)}, port)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(10)
