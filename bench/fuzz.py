#!/usr/bin/env python
"""Fuzz a running server's /ogc with schemathesis (its own OpenAPI document, offline): every
operation, many examples; prints requests made and every server error (there should be none).

    .venv/bin/python bench/fuzz.py [--url http://127.0.0.1:8000] [--examples 100] [--token TOKEN --writes]

Reads only, unless --writes (with an editor's API token): writes change the server's data.
Loopback only, bounded by --examples per operation."""

from __future__ import annotations

import argparse
import sys
import time
from urllib.parse import urlparse

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

WRITES = ("POST", "PUT", "PATCH", "DELETE")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--examples", type=int, default=100)
    ap.add_argument("--token", default="")
    ap.add_argument("--writes", action="store_true")
    a = ap.parse_args()
    if urlparse(a.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("bench/fuzz.py only targets a server on this machine (loopback)")
    try:
        schema = schemathesis.openapi.from_url(f"{a.url}/ogc/openapi?f=json")
    except Exception as exc:  # schemathesis wraps connection errors in its own loader errors
        sys.exit(f"cannot read {a.url}/ogc/openapi (start a server with make demo): {str(exc).splitlines()[0]}")
    headers = {"Authorization": f"Token {a.token}"} if a.token else {}
    calls, errors, by_status, started = [0], [], {}, time.monotonic()
    for result in schema.get_all_operations():
        op = result.ok()
        if op.method.upper() in WRITES and not a.writes:
            continue

        @settings(max_examples=a.examples, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=op.as_strategy())
        def check(case):
            r = case.call(base_url=f"{a.url}/ogc", headers=headers if case.method.upper() in WRITES else {})
            calls[0] += 1
            by_status[r.status_code] = by_status.get(r.status_code, 0) + 1
            if r.status_code >= 500:
                errors.append(f"{r.status_code} {case.method} {case.formatted_path} {case.query} -> {r.text[:200]}")

        check()
    print(f"{calls[0]:,} requests in {time.monotonic() - started:.0f} s; by status: "
          + ", ".join(f"{k}: {v:,}" for k, v in sorted(by_status.items())))
    print(f"server errors: {len(errors)}")
    for e in errors[:50]:
        print("  " + e)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
