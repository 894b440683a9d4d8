#!/usr/bin/env python
"""Raster tile rendering and zonal statistics speed (issue #5 targets: tiles p50 < 30 ms and
p99 < 150 ms warm, random 256 px tiles over the province at z10-15; zonal statistics for all
communes on the population raster < 5 s).

    .venv/bin/python bench/raster_tiles.py [--url http://127.0.0.1:8000] [--n 400] [--connections 1]
"""

import argparse
import math
import random
import statistics
import threading
import time

import requests

LON0, LAT0, LON1, LAT1 = 106.45, 11.35, 107.40, 12.20


def tile_of(lon, lat, z):
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--connections", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(5)
    urls = []
    for _ in range(a.n):
        z = rng.randint(10, 15)
        x, y = tile_of(rng.uniform(LON0, LON1), rng.uniform(LAT0, LAT1), z)
        raster = rng.choice(["population", "land-cover", "flood-hazard", "ndvi"])
        urls.append(f"{a.url}/rasters/{raster}/tiles/{z}/{x}/{y}.png")
    s = requests.Session()
    for u in urls[:40]:  # warm: file handles and caches
        s.get(u, timeout=60)
    times, lock = [], threading.Lock()
    chunks = [urls[i::a.connections] for i in range(a.connections)]

    def worker(chunk):
        sess = requests.Session()
        for u in chunk:
            t0 = time.perf_counter()
            r = sess.get(u, timeout=60)
            dt = (time.perf_counter() - t0) * 1000
            assert r.status_code == 200, (u, r.status_code)
            with lock:
                times.append(dt)

    threads = [threading.Thread(target=worker, args=(c,)) for c in chunks]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    q = statistics.quantiles(times, n=100)
    print(f"raster tiles z10-15, {len(times)} requests, {a.connections} connection(s): "
          f"p50 {q[49]:.1f} ms, p99 {q[98]:.1f} ms, {len(times) / wall:.0f} tiles/s")
    t0 = time.perf_counter()
    r = s.get(f"{a.url}/rasters/population/zonal?level=commune", timeout=120)
    r.raise_for_status()
    print(f"zonal statistics, population raster, {len(r.json()['zones'])} communes: "
          f"{(time.perf_counter() - t0):.2f} s")


if __name__ == "__main__":
    main()
