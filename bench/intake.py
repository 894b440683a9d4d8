#!/usr/bin/env python
"""Department intake at volume (issue 12): upload a 10,000-row sheet (CSV and XLSX) and push
10,000 values through the JSON API, each in one request, and print the time of each.
Target: under 10 s each on this machine (2 cores).

    .venv/bin/python bench/intake.py [--runs 3]

Runs in-process through Django's test client (the whole middleware stack, the views, the
validation, the store and the publishing into the layer tables), against the configured
database with its demo data, inside transactions that are rolled back: nothing is left
behind. The sheet is the long form departments' systems export (period, orgunit,
dataelement, value): weekly dengue and hand-foot-mouth cases of the 111 communes over 45
past weeks; the push is monthly examinations and inpatients of the 166 health facilities
over 30 past months. The demo's own reports for those periods are deleted first (inside the
rolled-back transaction), as their approval locks them.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_server.settings")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from gis_server.models import ApiToken  # noqa: E402
from layers.models import Submission  # noqa: E402
from operations.intake.catalogue import get_dataset  # noqa: E402
from operations.intake.orgunits import org_units  # noqa: E402
from operations.intake.periods import period_code, period_start, periods_back  # noqa: E402

N = 10_000
TARGET_S = 10.0


def sheet_rows() -> tuple[list[date], list[tuple]]:
    """(weeks, rows): whole reports (both elements of a commune's week) up to N rows."""
    ds = get_dataset("disease_weekly")
    units = org_units(ds)
    weeks = periods_back("weekly", period_start("weekly", date.today() - timedelta(days=14)), N // (2 * len(units)))
    rows = [(period_code("weekly", w), u.code, e, (u.id * 7 + i * 3 + w.toordinal()) % 40)
            for w in weeks for u in units for i, e in enumerate(("dengue_cases", "hfmd_cases"))]
    return weeks, rows


def push_body() -> tuple[list[date], dict]:
    ds = get_dataset("health_facility_monthly")
    units = org_units(ds)
    months = periods_back("monthly", period_start("monthly", date.today().replace(day=1) - timedelta(days=40)),
                          N // (2 * len(units)))
    values = []
    for m in months:
        for u in units:
            exams = 500 + (u.id * 37 + m.month * 11) % 4000
            values += [{"unit": u.code, "element": "examinations", "value": exams, "period": period_code("monthly", m)},
                       {"unit": u.code, "element": "inpatients", "value": exams // 12,
                        "period": period_code("monthly", m)}]
    return months, {"values": values, "submit": True, "confirm_outliers": True}


def xlsx(rows: list[tuple]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["period", "orgunit", "dataelement", "value"])
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def timed(label: str, dataset: str, periods: list[date], call, runs: int) -> float:
    times = []
    for _ in range(runs):
        with transaction.atomic():
            Submission.objects.filter(dataset=dataset, period__in=periods).delete()
            t0 = time.perf_counter()
            r = call()
            times.append(time.perf_counter() - t0)
            body = r.json()
            if r.status_code != 201:
                raise SystemExit(f"{label}: HTTP {r.status_code} {json.dumps(body, ensure_ascii=False)[:400]}")
            transaction.set_rollback(True)
    best, med = min(times), statistics.median(times)
    print(f"{label:<44} {len(body['stored']):>6} values  median {med:5.2f} s  best {best:5.2f} s  "
          f"{'OK' if med < TARGET_S else 'OVER'} (target < {TARGET_S:.0f} s)")
    return med


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    weeks, rows = sheet_rows()
    csv_bytes = ("period,orgunit,dataelement,value\n" + "".join(f"{p},{u},{e},{v}\n" for p, u, e, v in rows)).encode()
    xlsx_bytes = xlsx(rows)
    months, body = push_body()
    payload = json.dumps(body)
    officer = Client()
    officer.force_login(User.objects.get(username="so_yte"))
    _token, key = ApiToken.issue(User.objects.get(username="so_yte"), "bench")
    api = Client(headers={"Authorization": f"Token {key}"})
    print(f"sheet: {len(rows):,} rows over {len(weeks)} weeks (CSV {len(csv_bytes) // 1024} kB, XLSX "
          f"{len(xlsx_bytes) // 1024} kB); push: {len(body['values']):,} values over {len(months)} months "
          f"({len(payload) // 1024} kB)")
    try:
        for name, data in (("csv", csv_bytes), ("xlsx", xlsx_bytes)):
            timed(f"upload {name.upper()} (read, check, store, publish)", "disease_weekly", weeks,
                  lambda n=name, d=data: officer.post("/api/datasets/disease_weekly/upload",
                                                      {"file": SimpleUploadedFile(f"tuan.{n}", d)}), args.runs)
        timed("push JSON via /api/datasets/…/values", "health_facility_monthly", months,
              lambda: api.post("/api/datasets/health_facility_monthly/values", payload,
                               content_type="application/json"), args.runs)
    finally:
        ApiToken.objects.filter(name="bench").delete()


if __name__ == "__main__":
    main()
