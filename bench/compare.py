#!/usr/bin/env python
"""Our /ogc against stock pygeoapi and tipg on the same tables, with wrk (8 connections).

    .venv/bin/python bench/prepare_volume.py          # once: 1,000,000 parcels + 200,000 points in ioc_bench
    .venv/bin/python bench/compare.py [--db ioc_bench] [--seconds 10] [--rounds 2]

Every server runs with 2 worker processes on this machine; the benchmark venvs (tipg 1.6.1,
pygeoapi 0.24.0 with its stock PostgreSQL provider) are made under var/bench/ on first use.
Workloads: W1 100 parcels in a random 1 km box; W2 1,000 parcels in a random 5 km box;
W3 one parcel by id; W4 a 1-3 km box plus land_use=<code>; W5 a z14 vector tile of parcels;
W6 500 points in a random 10 km box. Needs `wrk` (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import requests

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "var" / "bench"


def find_python() -> str:
    """A Python 3.12+ with venv for the comparison servers, found as scripts/setup.sh finds one:
    $PYTHON, python3.13, python3.12, python3, then pyenv's versions, newest first."""
    pyenv_root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    if shutil.which("pyenv"):
        pyenv_root = subprocess.run(["pyenv", "root"], capture_output=True, text=True).stdout.strip() or pyenv_root
    pyenvs = sorted(Path(pyenv_root).glob("versions/3.1[2-9]*/bin/python3"),
                    key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.parent.name)], reverse=True)
    for c in [os.environ.get("PYTHON"), "python3.13", "python3.12", "python3", *map(str, pyenvs)]:
        exe = shutil.which(c) if c else None
        if exe and subprocess.run([exe, "-c", "import sys, venv; sys.exit(sys.version_info < (3, 12))"],
                                  capture_output=True).returncode == 0:
            return exe
    sys.exit("Python 3.12 or newer is needed: install python3.12 (or python3.13) with venv, or set PYTHON.")
VERSIONS = {"tipg": ["tipg==1.6.1", "uvicorn[standard]==0.54.0"],
            "pygeoapi": ["pygeoapi==0.24.0", "psycopg2-binary==2.9.13", "geoalchemy2==0.20.0", "gunicorn==27.0.1"]}

LUA = r"""
math.randomseed(%(seed)d)
local x0, y0, x1, y1 = 106.50, 11.40, 107.30, 12.15
local uses = {"CLN", "LUC", "ONT", "RSX", "HNK", "ODT"}
local function box(km)
  local dx, dy = km / 109.0, km / 110.6
  local x = x0 + math.random() * (x1 - x0 - dx)
  local y = y0 + math.random() * (y1 - y0 - dy)
  return string.format("%%.6f,%%.6f,%%.6f,%%.6f", x, y, x + dx, y + dy)
end
local function tile(z)
  local lon = x0 + math.random() * (x1 - x0)
  local lat = y0 + math.random() * (y1 - y0)
  local n = 2 ^ z
  local tx = math.floor((lon + 180) / 360 * n)
  local r = math.rad(lat)
  local ty = math.floor((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)
  return tx, ty
end
request = function()
  local w = "%(workload)s"
  local path
  if w == "W1" then path = "%(items)s?limit=100&bbox=" .. box(1)
  elseif w == "W2" then path = "%(items)s?limit=1000&bbox=" .. box(5)
  elseif w == "W3" then path = "%(items)s/" .. math.random(1, %(max_id)d)
  elseif w == "W4" then path = "%(items)s?limit=100&land_use=" .. uses[math.random(#uses)] .. "&bbox=" .. box(1 + math.random() * 2)
  elseif w == "W5" then local tx, ty = tile(14); path = string.format("%(tile)s", 14, %(tile_args)s)
  else path = "%(points)s?limit=500&bbox=" .. box(10) end
  if "%(fparam)s" ~= "" and w ~= "W5" then
    if string.find(path, "?", 1, true) then path = path .. "&%(fparam)s" else path = path .. "?%(fparam)s" end
  end
  return wrk.format("GET", path, {["Accept"] = "application/geo+json"})
end
"""


def venv(name: str) -> Path:
    d = BENCH / name
    if not (d / "bin" / "python").exists():
        subprocess.run([find_python(), "-m", "venv", str(d)], check=True)
        subprocess.run([str(d / "bin" / "pip"), "install", "-q", *VERSIONS[name]], check=True)
    return d


def wait(url: str, proc: subprocess.Popen, what: str) -> None:
    for _ in range(240):
        if proc.poll() is not None:
            sys.exit(f"{what} exited: see {BENCH / (what + '.log')}")
        try:
            if requests.get(url, timeout=5).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    sys.exit(f"{what} did not start")


def start_servers(db: str, sock: str, pgport: str, tile_cache: bool = True) -> dict:
    BENCH.mkdir(parents=True, exist_ok=True)
    procs = {}
    env = {**os.environ, "IOC_DB_NAME": db, **({} if tile_cache else {"IOC_TILE_CACHE_SECONDS": "0"})}
    log = open(BENCH / "ours.log", "w")
    procs["ours"] = (subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "gis_server.wsgi", "-b", "127.0.0.1:18001",
                                       "--workers", "2", "--timeout", "300", "--no-control-socket"], cwd=ROOT,
                                      env=env, stdout=log,
                                      stderr=log), "http://127.0.0.1:18001")
    # stock pygeoapi: its own PostgreSQL provider (SQLAlchemy + psycopg2) on the same tables
    pga = venv("pygeoapi")
    conn = {"host": sock, "port": int(pgport), "dbname": db, "user": "ioc", "password": ""}
    cfg = BENCH / "pygeoapi.yml"
    cfg.write_text(f"""
server: {{bind: {{host: 127.0.0.1, port: 18002}}, url: http://127.0.0.1:18002, mimetype: application/json; charset=UTF-8,
  encoding: utf-8, language: en-US, pretty_print: false, limits: {{default_items: 10, max_items: 10000}},
  map: {{url: '', attribution: ''}}}}
logging: {{level: ERROR}}
metadata:
  identification: {{title: bench, description: bench, keywords: [bench], keywords_type: theme, terms_of_service: x, url: x}}
  license: {{name: x, url: x}}
  provider: {{name: x, url: x}}
  contact: {{name: x, position: x, address: x, city: x, stateorprovince: x, postalcode: x, country: x, email: x, url: x, role: pointOfContact}}
resources:
  parcels:
    type: collection
    title: parcels
    description: parcels
    keywords: [parcels]
    extents: {{spatial: {{bbox: [106.3, 11.2, 107.6, 12.4], crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84}}}}
    providers:
      - {{type: feature, name: PostgreSQL, data: {conn}, id_field: id, table: layers_landparcel, geom_field: geom}}
  points:
    type: collection
    title: points
    description: points
    keywords: [points]
    extents: {{spatial: {{bbox: [106.3, 11.2, 107.6, 12.4], crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84}}}}
    providers:
      - {{type: feature, name: PostgreSQL, data: {conn}, id_field: id, table: layers_trafficaccident, geom_field: geom}}
""")
    openapi = BENCH / "pygeoapi-openapi.yml"
    penv = {**os.environ, "PYGEOAPI_CONFIG": str(cfg), "PYGEOAPI_OPENAPI": str(openapi)}
    subprocess.run([str(pga / "bin" / "pygeoapi"), "openapi", "generate", str(cfg), "--output-file", str(openapi)],
                   check=True, env=penv, capture_output=True)
    log = open(BENCH / "pygeoapi.log", "w")
    procs["pygeoapi"] = (subprocess.Popen([str(pga / "bin" / "gunicorn"), "pygeoapi.flask_app:APP", "-b",
                                           "127.0.0.1:18002", "--workers", "2"], env=penv, stdout=log, stderr=log),
                         "http://127.0.0.1:18002")
    tipg = venv("tipg")
    # the socket folder, percent-encoded as the URL's host: asyncpg connects to the unix socket
    tenv = {**os.environ, "DATABASE_URL": f"postgresql://ioc@{quote(sock, safe='')}:{pgport}/{db}",
            "TIPG_DB_SCHEMAS": '["public"]', "TIPG_MAX_FEATURES_PER_QUERY": "10000",
            "TIPG_DB_TABLES": '["public.layers_landparcel", "public.layers_trafficaccident"]', "TIPG_DB_FUNCTIONS": "[]"}
    log = open(BENCH / "tipg.log", "w")
    procs["tipg"] = (subprocess.Popen([str(tipg / "bin" / "uvicorn"), "tipg.main:app", "--host", "127.0.0.1",
                                       "--port", "18003", "--workers", "2", "--log-level", "warning"], env=tenv,
                                      stdout=log, stderr=log), "http://127.0.0.1:18003")
    wait("http://127.0.0.1:18001/healthz", procs["ours"][0], "ours")
    wait("http://127.0.0.1:18002/collections", procs["pygeoapi"][0], "pygeoapi")
    wait("http://127.0.0.1:18003/collections", procs["tipg"][0], "tipg")
    return procs


TARGETS = {
    "ours": dict(items="/ogc/collections/land-parcels/items", points="/ogc/collections/traffic-accidents/items",
                 tile="/ogc/collections/land-parcels/tiles/WebMercatorQuad/%d/%d/%d", tile_args="ty, tx",
                 fparam="f=json"),
    "pygeoapi": dict(items="/collections/parcels/items", points="/collections/points/items", tile="",
                     tile_args="0, 0", fparam="f=json"),
    "tipg": dict(items="/collections/public.layers_landparcel/items",
                 points="/collections/public.layers_trafficaccident/items",
                 tile="/collections/public.layers_landparcel/tiles/WebMercatorQuad/%d/%d/%d", tile_args="tx, ty",
                 fparam="f=geojson"),
}


def run_wrk(base: str, server: str, workload: str, seconds: int, max_id: int, seed: int) -> tuple[float, float, float, int]:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(LUA % {**TARGETS[server], "workload": workload, "max_id": max_id, "seed": seed})
    out = subprocess.run(["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", "-s", str(script), base],
                         capture_output=True, text=True, timeout=seconds + 120).stdout
    script.unlink()

    def ms(label):
        m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\b", out, re.M)
        if not m:
            return float("nan")
        v, u = float(m.group(1)), m.group(2)
        return v / 1000 if u == "us" else v * 1000 if u == "s" else v

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return (float(rps.group(1)) if rps else 0.0), ms("50%"), ms("99%"), int(non2xx.group(1)) if non2xx else 0


def ensure_volume(db: str) -> None:
    """The benchmark volume, built on first use (bench/prepare_volume.py, a few minutes)."""
    out = subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", "shell", "-c",
                          "from django.db import connection\n"
                          "c = connection.cursor()\n"
                          "c.execute('SELECT count(*) FROM layers_landparcel')\nn = c.fetchone()[0]\n"
                          "c.execute('SELECT count(*) FROM layers_trafficaccident')\nprint(n, c.fetchone()[0])"],
                         cwd=ROOT, env={**os.environ, "IOC_DB_NAME": db}, capture_output=True, text=True)
    counts = out.stdout.split()
    if out.returncode != 0 or len(counts) < 2 or int(counts[0]) < 1_000_000 or int(counts[1]) < 200_000:
        print(f"preparing the benchmark volume in {db} (1,000,000 parcels, 200,000 points)...", flush=True)
        subprocess.run([str(ROOT / ".venv/bin/python"), str(ROOT / "bench/prepare_volume.py"), "--db", db], check=True)


def client_checks(base: str) -> None:
    """GDAL, QGIS and OWSLib read a bbox subset of the 1,000,000 parcels through the fast path."""
    bbox = [106.86, 11.50, 106.94, 11.58]
    bb = ",".join(map(str, bbox))
    expected = requests.get(f"{base}/ogc/collections/land-parcels/items?f=json&resulttype=hits&bbox={bb}",
                            timeout=120).json()["numberMatched"]
    got = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "sub.gpkg"
        subprocess.run(["ogr2ogr", "-f", "GPKG", str(out), f"OAPIF:{base}/ogc", "land-parcels", "-spat",
                        *map(str, bbox), "-oo", "PAGE_SIZE=1000"], check=True, capture_output=True, timeout=600)
        info = subprocess.run(["ogrinfo", "-ro", "-so", str(out), "land-parcels"], capture_output=True, text=True).stdout
        got["GDAL ogr2ogr"] = int(info.split("Feature Count: ")[1].split()[0])
    from owslib.ogcapi.features import Features  # imported here: OWSLib is a dev-only client

    api, offset, n = Features(base + "/ogc"), 0, 0
    while True:
        page = api.collection_items("land-parcels", bbox=bbox, limit=1000, offset=offset)
        n += len(page["features"])
        if not any(link["rel"] == "next" for link in page["links"]):
            break
        offset += 1000
    got["OWSLib"] = n
    if Path("/usr/bin/python3").exists():
        env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"}
        q = subprocess.run(["/usr/bin/python3", str(ROOT / "tests/clients/qgis_oapif.py"), base, "land-parcels", bb],
                           capture_output=True, text=True, timeout=900, env=env)
        if q.returncode == 0:
            got["QGIS OAPIF"] = json.loads(q.stdout.strip().splitlines()[-1])["count"]
    print(f"real clients, bbox {bb}: numberMatched {expected}; " + ", ".join(f"{k} {v}" for k, v in got.items()))
    # GDAL and QGIS keep features that intersect the box; the API too: the counts must agree
    bad = {k: v for k, v in got.items() if v != expected}
    if bad:
        sys.exit(f"client counts differ from numberMatched {expected}: {bad}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="ioc_bench")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--workloads", default="W1,W2,W3,W4,W5,W6")
    ap.add_argument("--no-tile-cache", action="store_true", help="switch our per-process tile cache off")
    ap.add_argument("--skip-clients", action="store_true", help="skip the GDAL/QGIS/OWSLib checks")
    a = ap.parse_args()
    workloads = [w.strip() for w in a.workloads.split(",")]
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    sock, pgport = str(ROOT / "var" / "run"), os.environ.get("IOC_PG_PORT", "54329")
    ensure_volume(a.db)
    procs = start_servers(a.db, sock, pgport, tile_cache=not a.no_tile_cache)
    try:
        if not a.skip_clients:
            client_checks(procs["ours"][1])
        hits = requests.get(f"{procs['ours'][1]}/ogc/collections/land-parcels/items?f=json&resulttype=hits",
                            timeout=60).json()
        max_id = int(hits["numberMatched"] * 0.99)  # ids run from 1 (the demo restarts identities)
        results: dict = {}
        for rnd in range(a.rounds):
            for w in workloads:
                for server in ("ours", "pygeoapi", "tipg"):
                    if w == "W5" and server == "pygeoapi":
                        continue  # its MVT-postgresql provider takes seconds per z14 tile: reported in the README
                    if rnd == 0:  # warm-up, not measured: PostgreSQL's buffers and the servers' first requests
                        run_wrk(procs[server][1], server, w, 2, max_id, seed=999)
                    r = run_wrk(procs[server][1], server, w, a.seconds, max_id, seed=rnd * 100 + 7)
                    results.setdefault((w, server), []).append(r)
                    print(f"round {rnd + 1} {w} {server:9} {r[0]:8.1f} req/s  p50 {r[1]:7.1f} ms  p99 {r[2]:7.1f} ms"
                          + (f"  non-2xx {r[3]}" if r[3] else ""), flush=True)
        print("\n| workload | ours req/s | p50 | p99 | stock pygeoapi req/s | tipg req/s | ours/stock | ours/tipg |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for w in workloads:
            def best(server, w=w):
                rs = results.get((w, server))
                if not rs:
                    return None
                return (sum(r[0] for r in rs) / len(rs), sum(r[1] for r in rs) / len(rs), sum(r[2] for r in rs) / len(rs))
            o, s, t = best("ours"), best("pygeoapi"), best("tipg")
            fmt = lambda x: f"{x:.0f}" if x is not None else "–"  # noqa: E731
            print(f"| {w} | {o[0]:.0f} | {o[1]:.1f} | {o[2]:.1f} | {fmt(s and s[0])} | {fmt(t and t[0])} | "
                  f"{(o[0] / s[0]) if s and s[0] else float('nan'):.2f} | {(o[0] / t[0]) if t and t[0] else float('nan'):.2f} |")
    finally:
        for proc, _ in procs.values():
            proc.send_signal(signal.SIGTERM)
        for proc, _ in procs.values():
            proc.wait(20)


if __name__ == "__main__":
    main()
