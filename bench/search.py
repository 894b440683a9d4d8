#!/usr/bin/env python
"""p50/p99 of the search (/api/search), over about twenty typical queries.

Over HTTP against a running server (anonymous, or signed in with --user):

    .venv/bin/python bench/search.py [--url http://127.0.0.1:8000] [--user admin] [--n 10]

or in-process, timing the selector against the database named by IOC_DB_NAME (no server):

    IOC_DB_NAME=ioc_search .venv/bin/python bench/search.py --in-process [--user admin]

Target (issue 11): p50 under 100 ms on the demo volume.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from session import login, p50_p99

# units, facilities and codes; with and without accents, upper case, a typo, short prefixes
QUERIES = [
    "loc ninh", "lộc ninh", "LOC NINH", "dong xoai", "Đồng Xoài", "bu gia map", "phuoc long", "chon thanh",
    "truong tieu hoc", "trường thpt", "tram y te", "tran y te", "benh vien", "nui ba ra", "ho thac mo",
    "camera quoc lo 13", "tan phu", "xa", "HS689-0000001", "HS69", "PA-2025-000001", "pa-2025",
]


def over_http(a) -> dict[str, list[float]]:
    import requests

    s = requests.Session()
    try:
        s.get(f"{a.url}/healthz", timeout=10)
    except requests.RequestException:
        sys.exit(f"No server answers at {a.url}: start one (make serve) or use --in-process.")
    if a.user:
        login(a.url, a.user, a.password, session=s)
    times: dict[str, list[float]] = {}
    for q in QUERIES:
        s.get(f"{a.url}/api/search", params={"q": q}, timeout=30)  # warm
        for _ in range(a.n):
            t0 = time.perf_counter()
            r = s.get(f"{a.url}/api/search", params={"q": q}, timeout=30)
            times.setdefault(q, []).append((time.perf_counter() - t0) * 1000)
            r.raise_for_status()
    return times


def in_process(a) -> dict[str, list[float]]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_server.settings")
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser, User

    from layers.search import search_features

    user = User.objects.get(username=a.user) if a.user else AnonymousUser()
    times: dict[str, list[float]] = {}
    for q in QUERIES:
        search_features(q=q, user=user, limit=10, lang="vi")  # warm
        for _ in range(a.n):
            t0 = time.perf_counter()
            search_features(q=q, user=user, limit=10, lang="vi")
            times.setdefault(q, []).append((time.perf_counter() - t0) * 1000)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--user", default="", help="sign in as this user (default: anonymous)")
    ap.add_argument("--password", default=os.environ.get("IOC_DEMO_PASSWORD", "demo1234"))
    ap.add_argument("--n", type=int, default=10, help="requests per query")
    ap.add_argument("--in-process", action="store_true", help="time the selector against IOC_DB_NAME, no server")
    a = ap.parse_args()
    times = in_process(a) if a.in_process else over_http(a)
    where = f"in-process, database {os.environ.get('IOC_DB_NAME', 'ioc')}" if a.in_process else a.url
    print(f"search as {a.user or 'anonymous'} ({where}), {a.n} runs per query")
    print(f"{'query':24} {'p50 ms':>8} {'p99 ms':>8}")
    for q, ts in times.items():
        p50, p99 = p50_p99(ts)
        print(f"{q:24} {p50:8.1f} {p99:8.1f}")
    p50, p99 = p50_p99([t for ts in times.values() for t in ts])
    print(f"{'all queries':24} {p50:8.1f} {p99:8.1f}   (target: p50 < 100 ms)")


if __name__ == "__main__":
    main()
