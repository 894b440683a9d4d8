"""The unit suite itself: no test here may reach the database."""

import pytest
from django.db import connection, connections

from gis_server.db import read_connection


def test_a_cursor_is_refused_without_connecting():
    with pytest.raises(RuntimeError, match="Database access not allowed"):
        connection.cursor()
    assert connection.connection is None


def test_the_read_connection_is_refused_too():
    conn = read_connection()
    with pytest.raises(RuntimeError, match="Database access not allowed"):
        conn.ensure_connection()
    assert all(c.connection is None for c in connections.all(initialized_only=True))


def test_the_orm_is_refused():
    from layers.models import School

    with pytest.raises(RuntimeError, match="Database access not allowed"):
        School.objects.exists()


def test_pytest_django_already_blocks_tests_without_the_django_db_mark(django_db_blocker):
    from django.db.backends.base.base import BaseDatabaseWrapper

    django_db_blocker.restore()  # undo the unit conftest's own block: pytest-django's is underneath
    try:
        assert django_db_blocker.is_active
        # inspected, not called: if it were the real method it would connect
        assert BaseDatabaseWrapper.ensure_connection.__qualname__ != "BaseDatabaseWrapper.ensure_connection"
    finally:
        django_db_blocker.block()
