#!/usr/bin/env python
"""p50/p99 of the dashboard overview and of domain views, over HTTP against a running server.

    .venv/bin/python bench/dashboard.py [--url http://127.0.0.1:8000] [--user admin] [--n 40]

Target (issue #4): p50 under 300 ms for the overview and for one domain view.
"""

import argparse
import time

import requests
from session import login, p50_p99


def timed(s: requests.Session, url: str, n: int) -> tuple[float, float]:
    s.get(url, timeout=60)  # warm
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        r = s.get(url, timeout=60)
        times.append((time.perf_counter() - t0) * 1000)
        r.raise_for_status()
    return p50_p99(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--user", default="admin")
    ap.add_argument("--password", default="demo1234")
    ap.add_argument("--n", type=int, default=40)
    a = ap.parse_args()
    s = login(a.url, a.user, a.password)
    print(f"{'page':40} {'p50 ms':>8} {'p99 ms':>8}")
    for path in ["/dashboard/", "/dashboard/?district=694", "/dashboard/public_services/",
                 "/dashboard/health/", "/dashboard/socioeconomic/", "/dashboard/cyber/"]:
        p50, p99 = timed(s, a.url + path, a.n)
        print(f"{path:40} {p50:8.1f} {p99:8.1f}")


if __name__ == "__main__":
    main()
