"""Unit tests: pure logic only, no database.

pytest-django already blocks database access for tests without the `django_db` mark (it
replaces `BaseDatabaseWrapper.ensure_connection` right after `django.setup()`); the fixture
below blocks once more explicitly, so that a unit test that reaches the database fails with
"Database access not allowed" whatever the surrounding configuration, and checks afterwards
that the test opened no connection. A unit test that asks for the database is refused at collection,
before pytest-django could create the shared test database."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connections

UNIT_DIR = Path(__file__).resolve().parent
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "django_db_reset_sequences",
                     "django_db_serialized_rollback", "live_server", "live_url"}


def pytest_collection_modifyitems(config, items):
    offenders = [
        item.nodeid for item in items
        if UNIT_DIR in Path(str(item.path)).resolve().parents
        and (item.get_closest_marker("django_db") is not None
             or DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))
    ]
    if offenders:
        raise pytest.UsageError("tests/unit must not use the database: " + ", ".join(offenders))


def _open_connections() -> list[str]:
    return [c.alias for c in connections.all(initialized_only=True) if c.connection is not None]


@pytest.fixture(autouse=True)
def _no_database(django_db_blocker):
    """Any database access in a unit test raises RuntimeError, and the test opens no connection.
    (In a whole-suite run the database tests run first and may leave their connections open:
    they are closed here, outside any transaction, and reopen when a database test needs them.)"""
    connections.close_all()
    assert not _open_connections(), "a database connection could not be closed before the test"
    with django_db_blocker.block():
        yield
    assert not _open_connections(), "the test opened a database connection"
