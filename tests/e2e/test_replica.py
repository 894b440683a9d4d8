"""Beyond one machine: reads go to a streaming replica of the embedded cluster (made with
pg_basebackup by the test), writes to the primary; two server processes behind one port."""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
import requests
from django.db import connection

from tests.helpers import ROOT, free_port, start_server

pytestmark = pytest.mark.skipif(os.environ.get("DATABASE_URL") is not None,
                                reason="needs the embedded cluster to copy")
PGBIN = Path("/usr/lib/postgresql") / sorted(os.listdir("/usr/lib/postgresql"))[-1] / "bin"


def as_pg(*args):
    cmd = [str(a) for a in args]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)


@pytest.fixture
def replica(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        primary = connection.settings_dict.copy()
    base = Path(tempfile.mkdtemp(prefix="replica-", dir=ROOT / "var"))
    base.chmod(0o755)
    data, run, port = base / "data", base / "run", free_port()
    run.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(run, "postgres")
    as_pg(PGBIN / "pg_basebackup", "-h", primary["HOST"], "-p", primary["PORT"], "-U", "ioc", "-D", data, "-R",
          "-X", "stream", "-c", "fast")
    with open(data / "postgresql.auto.conf", "a") as f:  # its own port and socket, beside the primary
        f.write(f"\nport = {port}\nunix_socket_directories = '{run}'\nlisten_addresses = ''\nhot_standby = on\n")
    as_pg(PGBIN / "pg_ctl", "-D", data, "-l", base / "log", "-w", "-t", "60", "start")
    yield {"host": str(run), "port": port, "db": primary["NAME"], "primary": primary}
    as_pg(PGBIN / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
    shutil.rmtree(base, ignore_errors=True)


def test_reads_come_from_the_replica_and_writes_reach_it(replica):
    p = replica["primary"]
    primary = psycopg.connect(host=p["HOST"], port=p["PORT"], dbname=p["NAME"], user="ioc", autocommit=True)
    standby = psycopg.connect(host=replica["host"], port=replica["port"], dbname=replica["db"], user="ioc",
                              autocommit=True)
    assert standby.execute("SELECT pg_is_in_recovery()").fetchone()[0] is True
    port = free_port()
    server = start_server({"IOC_DB_NAME": p["NAME"],
                           "IOC_READ_REPLICAS": f"postgres://ioc@/{replica['db']}?host={replica['host']}&port={replica['port']}"},
                          port)
    url = f"http://127.0.0.1:{port}/ogc/collections/schools/items"
    ids = []
    try:
        def insert(name):
            fid = primary.execute("INSERT INTO layers_school (name, level, students, teachers, public, geom, updated_at) "
                                  "VALUES (%s, 'thcs', 1, 1, true, ST_SetSRID(ST_MakePoint(106.9, 11.55), 4326), now()) "
                                  "RETURNING id", [name]).fetchone()[0]
            ids.append(fid)
            return fid

        def visible(fid, timeout=15.0):
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if requests.get(f"{url}/{fid}", timeout=10).status_code == 200:
                    return True
                time.sleep(0.2)
            return False

        a = insert("Trường Bản Sao A")
        assert visible(a)  # written on the primary, read through the API after replication
        standby.execute("SELECT pg_wal_replay_pause()")
        b = insert("Trường Bản Sao B")
        assert not visible(b, timeout=2.0)  # replay paused: the API reads the replica, not the primary
        standby.execute("SELECT pg_wal_replay_resume()")
        assert visible(b)
    finally:
        for fid in ids:
            primary.execute("DELETE FROM layers_school WHERE id = %s", [fid])
        server.terminate()
        server.wait(10)
        primary.close()
        standby.close()
