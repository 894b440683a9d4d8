"""Read traffic (/ogc reads, tiles, dashboards) may go to PostgreSQL streaming replicas named
in IOC_READ_REPLICAS; writes and anything that must read its own writes use the primary."""

from __future__ import annotations

import contextvars
import random
from contextlib import contextmanager

from django.conf import settings
from django.db import connections

_replica_reads: contextvars.ContextVar[str | None] = contextvars.ContextVar("ioc_replica_reads", default=None)


def replica_aliases() -> list[str]:
    return [a for a in settings.DATABASES if a.startswith("replica_")]


def read_alias() -> str:
    replicas = replica_aliases()
    return random.choice(replicas) if replicas else "default"


def read_connection():
    """A connection for read-only queries that may lag slightly behind the primary."""
    return connections[read_alias()]


@contextmanager
def replica_reads():
    """ORM reads inside this block may go to a replica (read-only selectors: dashboards,
    listings); everywhere else the ORM reads the primary, so editing, admin and sessions
    read what they wrote."""
    token = _replica_reads.set(read_alias())
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReadReplicaRouter:
    """Reads go to a replica inside `replica_reads()`, to the primary otherwise; writes and
    migrations always go to the primary."""

    def db_for_read(self, model, **hints):
        return _replica_reads.get() or "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
