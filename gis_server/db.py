"""Read traffic (/ogc reads, tiles, dashboards) may go to PostgreSQL streaming replicas named
in IOC_READ_REPLICAS; writes and anything that must read its own writes use the primary."""

from __future__ import annotations

import random

from django.conf import settings
from django.db import connections


def replica_aliases() -> list[str]:
    return [a for a in settings.DATABASES if a.startswith("replica_")]


def read_alias() -> str:
    replicas = replica_aliases()
    return random.choice(replicas) if replicas else "default"


def read_connection():
    """A connection for read-only queries that may lag slightly behind the primary."""
    return connections[read_alias()]


class ReadReplicaRouter:
    """ORM reads of the read-only selectors use replicas; the ORM itself stays on the primary
    (so admin, editing and sessions read what they write)."""

    def db_for_read(self, model, **hints):
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
