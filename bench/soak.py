#!/usr/bin/env python
"""A bounded mixed load against a running IOC GIS server, with optional faults; then a check
that every acknowledged write exists exactly once.

    make demo &                                      # the server, on the embedded PostgreSQL
    .venv/bin/python bench/soak.py --minutes 5 --faults

Reads: item pages, single items, vector tiles, dashboards, free-text search. Writes (as the demo
editor, HTTP Basic): creates with an Idempotency-Key (re-sent once after an error, as a field
client would) and updates with If-Match. Faults (--faults): the embedded PostgreSQL is stopped
for --outage seconds at a third of the run (scripts/pg.sh), and a gunicorn worker is killed with
SIGKILL at two thirds. Loopback only; bounded by --minutes and --max-requests.

Prints requests, answers by status, server errors other than 503, the longest outage seen by
clients, the recovery time after the database came back, and the write check."""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import requests

ROOT = Path(__file__).resolve().parent.parent
AUTH = ("editor", os.environ.get("IOC_DEMO_PASSWORD") or os.environ.get("DEMO_PASSWORD") or "demo1234")
BOX = (106.55, 11.40, 107.35, 12.15)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.by_status: dict[str, int] = {}
        self.server_errors: list[str] = []  # 5xx other than 503
        self.failures: list[tuple[float, str]] = []  # (time, what) of every 503 / connection error
        self.successes: list[float] = []  # times of DB-backed 2xx answers
        self.created: dict[str, int] = {}  # idempotency key -> feature id acknowledged
        self.requests = 0

    def record(self, what: str, status: int | None, t: float) -> None:
        with self.lock:
            self.requests += 1
            key = str(status) if status is not None else "no answer"
            self.by_status[key] = self.by_status.get(key, 0) + 1
            if status is None or status == 503:
                self.failures.append((t, what))
            elif status >= 500:
                self.server_errors.append(f"{status} {what}")
            elif 200 <= status < 300 and what != "tile":  # tiles may come from a process's cache
                self.successes.append(t)


def random_box(km: float) -> str:
    dx, dy = km / 109.0, km / 110.6
    x = random.uniform(BOX[0], BOX[2] - dx)
    y = random.uniform(BOX[1], BOX[3] - dy)
    return f"{x:.5f},{y:.5f},{x + dx:.5f},{y + dy:.5f}"


def tile(z: int) -> tuple[int, int]:
    import math

    lon, lat = random.uniform(BOX[0], BOX[2]), random.uniform(BOX[1], BOX[3])
    n = 2 ** z
    r = math.radians(lat)
    return int((lon + 180) / 360 * n), int((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)


def call(stats: Stats, session: requests.Session, method: str, url: str, what: str, **kwargs):
    t = time.monotonic()
    try:
        r = session.request(method, url, timeout=30, **kwargs)
    except requests.RequestException:
        stats.record(what, None, t)
        return None
    stats.record(what, r.status_code, t)
    return r


def reader(stats: Stats, base: str, stop: threading.Event) -> None:
    s = requests.Session()
    s.auth = AUTH
    while not stop.is_set():
        kind = random.random()
        if kind < 0.35:
            call(stats, s, "GET", f"{base}/ogc/collections/land-parcels/items?limit=100&bbox={random_box(1)}", "items")
        elif kind < 0.5:
            call(stats, s, "GET", f"{base}/ogc/collections/schools/items/{random.randint(1, 300)}", "item")
        elif kind < 0.7:
            x, y = tile(14)
            call(stats, s, "GET", f"{base}/ogc/collections/land-parcels/tiles/WebMercatorQuad/14/{y}/{x}", "tile")
        elif kind < 0.85:
            call(stats, s, "GET", f"{base}/dashboard/{random.choice(['', 'health/', 'traffic/'])}", "dashboard")
        else:
            call(stats, s, "GET", f"{base}/ogc/collections/schools/items?q={random.choice(['THPT', 'Lộc', 'Tiểu'])}",
                 "search")


def writer(stats: Stats, base: str, stop: threading.Event, n: int) -> None:
    s = requests.Session()
    s.auth = AUTH
    items = f"{base}/ogc/collections/schools/items"
    while not stop.is_set():
        key = f"soak-{n}-{uuid.uuid4().hex[:16]}"
        body = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [
            round(random.uniform(106.80, 106.95), 6), round(random.uniform(11.50, 11.60), 6)]},
            "properties": {"name": f"Trường thử {key}", "level": "thcs", "students": 100, "teachers": 10}}
        for _attempt in range(2):  # a field client re-sends after an error, with the same key
            r = call(stats, s, "POST", items, "create", json=body, headers={"Idempotency-Key": key})
            if r is not None and r.status_code in (200, 201):
                with stats.lock:
                    stats.created[key] = r.json()["id"]
                fid, etag = r.json()["id"], r.headers.get("ETag")
                u = call(stats, s, "PATCH", f"{items}/{fid}", "update", json={"properties": {"students": 101}},
                         headers={"If-Match": etag, "Content-Type": "application/merge-patch+json"})
                if u is not None and u.status_code == 200:
                    with stats.lock:
                        stats.successes.append(time.monotonic())
                break
            time.sleep(0.2)
        time.sleep(0.05)


def gunicorn_workers() -> list[int]:
    pidfile = ROOT / "var" / "run" / "gunicorn.pid"
    if not pidfile.exists():
        return []
    master = pidfile.read_text().strip()
    out = subprocess.run(["pgrep", "-P", master], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


def faults(stats: Stats, base: str, minutes: float, outage: float, stop: threading.Event, log: dict) -> None:
    third = minutes * 60 / 3
    if stop.wait(third):
        return
    log["db_stopped_at"] = time.monotonic()
    subprocess.run([str(ROOT / "scripts" / "pg.sh"), "stop"], capture_output=True, check=False)
    stop.wait(outage)
    subprocess.run([str(ROOT / "scripts" / "pg.sh"), "start"], capture_output=True, check=False)
    log["db_started_at"] = time.monotonic()
    if stop.wait(third - outage):
        return
    workers = gunicorn_workers()
    if workers:
        os.kill(workers[0], signal.SIGKILL)
        log["worker_killed_at"] = time.monotonic()
        log["worker_killed"] = workers[0]


def longest_outage(stats: Stats) -> float:
    """The longest run of time between two successful answers that holds failures only."""
    events = sorted([(t, True) for t in stats.successes] + [(t, False) for t, _ in stats.failures])
    longest, start = 0.0, None
    for t, ok in events:
        if not ok and start is None:
            start = t
        elif ok and start is not None:
            longest, start = max(longest, t - start), None
    return longest


def check_writes(base: str, stats: Stats) -> tuple[int, int, int]:
    """(acknowledged, missing, duplicated) creates, looked up by their unique names."""
    s = requests.Session()
    s.auth = AUTH
    missing = duplicated = 0
    for key, fid in stats.created.items():
        fc = s.get(f"{base}/ogc/collections/schools/items", params={"name": f"Trường thử {key}"}, timeout=60).json()
        ids = [f["id"] for f in fc["features"]]
        if fid not in ids:
            missing += 1
        if len(ids) > 1:
            duplicated += 1
    return len(stats.created), missing, duplicated


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--minutes", type=float, default=5)
    ap.add_argument("--readers", type=int, default=6)
    ap.add_argument("--writers", type=int, default=2)
    ap.add_argument("--faults", action="store_true", help="stop the embedded PostgreSQL once, SIGKILL a worker once")
    ap.add_argument("--outage", type=float, default=15, help="seconds the database stays stopped")
    ap.add_argument("--max-requests", type=int, default=2_000_000)
    a = ap.parse_args()
    if urlparse(a.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("bench/soak.py only targets a server on this machine (loopback)")
    try:
        healthy = requests.get(f"{a.url}/healthz", timeout=10).status_code == 200
    except requests.RequestException:
        healthy = False
    if not healthy:
        sys.exit(f"no healthy server at {a.url} (start one with make demo)")
    random.seed(2026)
    stats, stop, log = Stats(), threading.Event(), {}
    threads = [threading.Thread(target=reader, args=(stats, a.url, stop), daemon=True) for _ in range(a.readers)]
    threads += [threading.Thread(target=writer, args=(stats, a.url, stop, i), daemon=True) for i in range(a.writers)]
    if a.faults:
        threads.append(threading.Thread(target=faults, args=(stats, a.url, a.minutes, a.outage, stop, log), daemon=True))
    started = time.monotonic()
    for t in threads:
        t.start()
    while time.monotonic() - started < a.minutes * 60 and stats.requests < a.max_requests:
        time.sleep(1)
    stop.set()
    for t in threads:
        t.join(60)
    if a.faults and "db_started_at" in log:  # make sure the database is back before checking
        subprocess.run([str(ROOT / "scripts" / "pg.sh"), "start"], capture_output=True, check=False)
    elapsed = time.monotonic() - started
    recovery = None
    if "db_started_at" in log:
        after = [t for t in stats.successes if t >= log["db_started_at"]]
        recovery = (min(after) - log["db_started_at"]) if after else None
    acknowledged, missing, duplicated = check_writes(a.url, stats)
    print(f"{stats.requests:,} requests in {elapsed:.0f} s ({stats.requests / elapsed:.0f}/s), "
          f"{a.readers} readers, {a.writers} writers")
    print("answers by status: " + ", ".join(f"{k}: {v:,}" for k, v in sorted(stats.by_status.items())))
    print(f"server errors other than 503: {len(stats.server_errors)}")
    for e in stats.server_errors[:20]:
        print("  " + e)
    if a.faults:
        print(f"database stopped for {a.outage:.0f} s; worker killed: {log.get('worker_killed', 'none found')}")
        print(f"longest outage seen by clients: {longest_outage(stats):.1f} s")
        print(f"recovery after the database came back: "
              f"{'none seen' if recovery is None else f'{recovery:.2f} s'}")
    print(f"acknowledged creates: {acknowledged:,}; missing: {missing}; duplicated: {duplicated}")
    bad = stats.server_errors or missing or duplicated or (a.faults and (recovery is None or recovery > 2))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
