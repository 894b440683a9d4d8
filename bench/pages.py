#!/usr/bin/env python
"""p50/p99 of what leaders and operators open (issue 11): the overview, every domain view, a
drill-down step in every domain (the first unit of its ranking), the wall's refresh and search.

    .venv/bin/python bench/pages.py [--url http://127.0.0.1:8000] [--n 40]
    .venv/bin/python bench/pages.py --db ioc_bench      # starts gunicorn on that database itself

With --db, a gunicorn (2 workers, as `make demo` runs) is started on a free port against that
database (e.g. ioc_bench with 1,000,000 parcels from bench/prepare_volume.py) and stopped after.
Targets: p50 < 150 ms and p99 < 400 ms for each page; search p50 < 100 ms.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import requests
from search import QUERIES as SEARCHES
from session import login, p50_p99

ROOT = Path(__file__).resolve().parent.parent
DOMAINS = ("socioeconomic", "public_services", "traffic", "security", "citizen", "health", "education", "land",
           "cyber", "media", "tourism")
TARGET_P50, TARGET_P99, TARGET_SEARCH_P50 = 150.0, 400.0, 100.0




def timed(s: requests.Session, urls: list[str], n: int) -> tuple[float, float]:
    """p50 and p99 in ms over n requests cycling through urls (after one warm-up each)."""
    for u in urls:
        s.get(u, timeout=60)
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        r = s.get(urls[i % len(urls)], timeout=60)
        times.append((time.perf_counter() - t0) * 1000)
        r.raise_for_status()
    return p50_p99(times)


def drill_url(s: requests.Session, url: str, domain: str) -> str | None:
    """The first link of a domain view's ranking: the drill-down to a unit."""
    html = s.get(f"{url}/dashboard/{domain}/", timeout=60).text
    table = re.search(r'id="ranking".*?</table>', html, re.S)
    link = re.search(r'href="([^"]+)"', table.group(0)) if table else None
    return f"{url}{link.group(1).replace('&amp;', '&')}" if link else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(db: str):
    port = free_port()
    env = {**os.environ, "IOC_DB_NAME": db}
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "gis_server.wsgi", "-b", f"127.0.0.1:{port}",
                             "--workers", "2", "--timeout", "120", "--no-control-socket"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                requests.get(f"{url}/healthz", timeout=5)
                break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def run(url: str, user: str, password: str, n: int) -> int:
    try:
        s = login(url, user, password)
    except requests.ConnectionError:
        print(f"No server answers at {url}: start one (make demo) or pass --db to start one here.")
        return 2
    rows: list[tuple[str, float, float, float, float]] = []

    def measure(name: str, urls: list[str], p50_target=TARGET_P50, p99_target=TARGET_P99):
        p50, p99 = timed(s, urls, n)
        rows.append((name, p50, p99, p50_target, p99_target))

    measure("overview /dashboard/", [f"{url}/dashboard/"])
    drills = []
    for d in DOMAINS:
        measure(f"domain /dashboard/{d}/", [f"{url}/dashboard/{d}/"])
        link = drill_url(s, url, d)
        if link:
            drills.append(link)
    measure(f"drill-down step ({len(drills)} domains)", drills)
    measure("wall refresh /api/wall", [f"{url}/api/wall"])
    measure("search /api/search", [f"{url}/api/search?q={quote(q)}" for q in SEARCHES], TARGET_SEARCH_P50)
    print(f"{'page':44} {'p50 ms':>8} {'p99 ms':>8}  target")
    failed = 0
    for name, p50, p99, t50, t99 in rows:
        ok = p50 < t50 and p99 < t99
        failed += not ok
        print(f"{name:44} {p50:8.1f} {p99:8.1f}  p50<{t50:.0f} p99<{t99:.0f} {'ok' if ok else 'MISSED'}")
    return 1 if failed else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--db", help="start gunicorn on this database (e.g. ioc_bench) instead of using --url")
    ap.add_argument("--user", default="admin")
    ap.add_argument("--password", default=os.environ.get("IOC_DEMO_PASSWORD", "demo1234"))
    ap.add_argument("--n", type=int, default=40)
    a = ap.parse_args()
    if a.db:
        with server(a.db) as url:
            print(f"database {a.db}, gunicorn with 2 workers at {url}")
            return run(url, a.user, a.password, a.n)
    return run(a.url, a.user, a.password, a.n)


if __name__ == "__main__":
    sys.exit(main())
