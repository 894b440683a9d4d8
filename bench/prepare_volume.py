#!/usr/bin/env python
"""Prepare the benchmark volume in its own database (default ioc_bench): 1,000,000 parcels
(load_demo --parcels) and 200,000 accident points (synthetic, inside the province).

    .venv/bin/python bench/prepare_volume.py [--db ioc_bench] [--parcels 1000000] [--points 200000]
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="ioc_bench")
    ap.add_argument("--parcels", type=int, default=1_000_000)
    ap.add_argument("--points", type=int, default=200_000)
    a = ap.parse_args()
    env = {**os.environ, "IOC_DB_NAME": a.db, "DJANGO_SETTINGS_MODULE": "gis_server.settings"}
    py = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([py, "-c", f"""
import django, psycopg
django.setup()
from django.conf import settings
d = settings.DATABASES['default']
with psycopg.connect(host=d['HOST'], port=d['PORT'], dbname='postgres', user=d['USER'], autocommit=True) as c:
    if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", ['{a.db}']).fetchone():
        c.execute('CREATE DATABASE "{a.db}"')
with psycopg.connect(host=d['HOST'], port=d['PORT'], dbname='{a.db}', user=d['USER'], autocommit=True) as c:
    c.execute('CREATE EXTENSION IF NOT EXISTS postgis')
"""], check=True, env=env, cwd=ROOT)
    subprocess.run([py, "manage.py", "migrate", "-v0"], check=True, env=env, cwd=ROOT)
    subprocess.run([py, "manage.py", "load_demo", "--parcels", str(a.parcels)], check=True, env=env, cwd=ROOT)
    subprocess.run([py, "manage.py", "shell", "-c", f"""
from django.db import connection
with connection.cursor() as cur:
    cur.execute("ALTER TABLE layers_trafficaccident DISABLE TRIGGER USER")
    cur.execute('''
        INSERT INTO layers_trafficaccident (occurred_at, severity, deaths, injuries, road, geom, updated_at, commune_id)
        SELECT now() - (random() * interval '730 days'), (ARRAY['minor','serious','very_serious','critical'])[1 + floor(random() * 4)::int],
               0, floor(random() * 3), 'Bench', p.geom, now(), NULL
          FROM (SELECT ST_SetSRID(ST_MakePoint(106.45 + random() * 0.95, 11.35 + random() * 0.85), 4326) AS geom
                  FROM generate_series(1, %s)) p''', [{a.points}])
    cur.execute("ALTER TABLE layers_trafficaccident ENABLE TRIGGER USER")
    cur.execute("ANALYZE layers_trafficaccident")
    cur.execute("SELECT count(*) FROM layers_trafficaccident")
    print("accidents:", cur.fetchone()[0])
"""], check=True, env=env, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
