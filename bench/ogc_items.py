#!/usr/bin/env python
"""Measure /ogc items requests on a running server: requests/s, p50, p99.

    .venv/bin/python bench/ogc_items.py [--url http://127.0.0.1:8000] [--seconds 20] [--connections 8]

Workloads (random boxes inside the demo province, seeded):
  W1  parcels in a random 1 km box (limit 100)
  W3  one parcel by id
  W6  schools+clinics style points: accidents in a random 10 km box (limit 500)
"""

from __future__ import annotations

import argparse
import random
import statistics
import threading
import time

import requests

LON0, LAT0, LON1, LAT1 = 106.55, 11.40, 107.35, 12.15
KM_LON, KM_LAT = 1 / 109.0, 1 / 110.6


def box(rng: random.Random, km: float) -> str:
    x = rng.uniform(LON0, LON1 - km * KM_LON)
    y = rng.uniform(LAT0, LAT1 - km * KM_LAT)
    return f"{x:.6f},{y:.6f},{x + km * KM_LON:.6f},{y + km * KM_LAT:.6f}"


def workloads(url: str, max_parcel: int):
    return {
        "W1 parcels 1 km box": lambda r: f"{url}/ogc/collections/land-parcels/items?f=json&limit=100&bbox={box(r, 1)}",
        "W3 parcel by id": lambda r: f"{url}/ogc/collections/land-parcels/items/{r.randint(1, max_parcel)}?f=json",
        "W6 accidents 10 km box": lambda r: f"{url}/ogc/collections/traffic-accidents/items?f=json&limit=500&bbox={box(r, 10)}",
    }


def run(make_url, seconds: float, connections: int) -> tuple[float, float, float, int]:
    latencies: list[float] = []
    errors = [0]
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def worker(seed: int):
        rng = random.Random(seed)
        s = requests.Session()
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            r = s.get(make_url(rng), timeout=60)
            dt = time.perf_counter() - t0
            with lock:
                if r.status_code != 200:
                    errors[0] += 1
                latencies.append(dt)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    q = statistics.quantiles(latencies, n=100)
    return len(latencies) / elapsed, q[49] * 1000, q[98] * 1000, errors[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--connections", type=int, default=8)
    a = ap.parse_args()
    hits = requests.get(f"{a.url}/ogc/collections/land-parcels/items?f=json&resulttype=hits", timeout=60).json()
    n = hits["numberMatched"]
    print(f"server {a.url}, {n:,} parcels, {a.connections} connections, {a.seconds:.0f} s per workload")
    print(f"{'workload':28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, make in workloads(a.url, n).items():
        rps, p50, p99, err = run(make, a.seconds, a.connections)
        print(f"{name:28} {rps:8.1f} {p50:8.1f} {p99:8.1f} {err:7d}")


if __name__ == "__main__":
    main()
