"""gis_server.db: reads go to a replica only inside replica_reads(); writes always to default.
Nothing here opens a connection (the router only names aliases)."""

import pytest
from django.test import override_settings

from gis_server import db
from gis_server.db import ReadReplicaRouter, replica_aliases, replica_reads

REPLICAS = ["replica_1", "replica_2"]


@pytest.fixture
def router():
    return ReadReplicaRouter()


@pytest.fixture
def with_replicas(monkeypatch):
    monkeypatch.setattr(db, "replica_aliases", lambda: list(REPLICAS))


def test_reads_go_to_default_outside_replica_reads(router, with_replicas):
    assert router.db_for_read(object) == "default"


def test_reads_go_to_a_replica_inside_replica_reads(router, with_replicas):
    with replica_reads():
        assert router.db_for_read(object) in REPLICAS


def test_all_reads_of_one_block_go_to_the_same_replica(router, with_replicas):
    with replica_reads():
        first = router.db_for_read(object)
        assert all(router.db_for_read(object) == first for _ in range(20))


def test_reads_return_to_default_after_the_block_even_after_an_error(router, with_replicas):
    with pytest.raises(LookupError):
        with replica_reads():
            raise LookupError("a failed read")
    assert router.db_for_read(object) == "default"


def test_without_replicas_replica_reads_use_default(router, monkeypatch):
    monkeypatch.setattr(db, "replica_aliases", lambda: [])
    with replica_reads():
        assert router.db_for_read(object) == "default"


def test_writes_always_go_to_default(router, with_replicas):
    assert router.db_for_write(object) == "default"
    with replica_reads():
        assert router.db_for_write(object) == "default"


def test_migrations_run_on_default_only(router):
    assert router.allow_migrate("default", "layers")
    assert not router.allow_migrate("replica_1", "layers")


def test_read_alias_picks_among_the_replicas(with_replicas):
    assert {db.read_alias() for _ in range(50)} <= set(REPLICAS)


def test_replica_aliases_are_the_databases_named_replica():
    databases = {"default": {"ENGINE": "django.db.backends.dummy"},
                 "replica_1": {"ENGINE": "django.db.backends.dummy"},
                 "reporting": {"ENGINE": "django.db.backends.dummy"}}
    with pytest.warns(UserWarning, match="DATABASES"), override_settings(DATABASES=databases):
        assert replica_aliases() == ["replica_1"]


def test_the_test_settings_have_no_replicas():
    assert replica_aliases() == []
    assert db.read_alias() == "default"
