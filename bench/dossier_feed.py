#!/usr/bin/env python
"""Time of the dossier feed (issue #12): a 100,000-row portal export (CSV, Vietnamese headings)
for the demo's units, imported once, imported again unchanged, and again with 1% of the
dossiers resolved since. In-process, against the database named by IOC_DB_NAME, which must
hold the demo (manage.py load_demo); the bench's dossiers (codes BENCH-...) are deleted at the end.

    IOC_DB_NAME=ioc_bench .venv/bin/python bench/dossier_feed.py [--rows 100000] [--keep]

Target: well under a minute for the first import of 100,000 rows.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

HEADER = "Mã hồ sơ,Thủ tục,Đơn vị tiếp nhận,Ngày tiếp nhận,Hạn giải quyết,Ngày giải quyết,Trạng thái,Kênh"
PROCEDURES = ["Cấp giấy phép xây dựng", "Đăng ký khai sinh", "Chứng thực bản sao", "Đăng ký kết hôn",
              "Cấp giấy chứng nhận quyền sử dụng đất", "Đăng ký hộ kinh doanh"]
CHANNELS = ["Trực tuyến", "Trực tiếp", "Bưu chính"]
PREFIX = "BENCH-"


def export_rows(unit_codes: list[str], n: int, seed: int = 12) -> list[list[str]]:
    """n dossiers spread over the units and the last year: a third still open, the rest resolved."""
    rng = random.Random(seed)
    start = datetime(2025, 12, 1, 7, 30)
    rows = []
    for i in range(n):
        received = start + timedelta(minutes=rng.randrange(365 * 24 * 60))
        due = received + timedelta(days=rng.choice((1, 3, 5, 10, 15)))
        open_ = rng.random() < 0.33
        resolved = "" if open_ else (received + timedelta(hours=rng.randrange(1, 400))).strftime("%d/%m/%Y %H:%M")
        rows.append([f"{PREFIX}{i:07d}", rng.choice(PROCEDURES), rng.choice(unit_codes),
                     received.strftime("%d/%m/%Y %H:%M"), due.strftime("%d/%m/%Y %H:%M"), resolved,
                     "Đang xử lý" if open_ else "Đã trả kết quả", rng.choice(CHANNELS)])
    return rows


def resolve_some(rows: list[list[str]], share: float, seed: int = 13) -> int:
    """Mark `share` of the open dossiers resolved a day after they were received; how many."""
    rng = random.Random(seed)
    changed = 0
    for row in rows:
        if row[6] == "Đang xử lý" and rng.random() < share:
            received = datetime.strptime(row[3], "%d/%m/%Y %H:%M")
            row[5], row[6] = (received + timedelta(days=1)).strftime("%d/%m/%Y %H:%M"), "Đã giải quyết"
            changed += 1
    return changed


def write_csv(rows: list[list[str]], path: Path) -> None:
    # no cell holds a comma or a quote, so a plain join is a valid CSV
    path.write_text("\ufeff" + HEADER + "\n" + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")


def timed_import(path: Path) -> tuple[float, str]:
    from operations.intake.dossiers import dossiers_import

    t0 = time.perf_counter()
    result = dossiers_import(path_or_file=path)
    return time.perf_counter() - t0, result.line()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--keep", action="store_true", help="keep the bench's dossiers in the database")
    a = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_server.settings")
    import django

    django.setup()
    from layers.models import Dossier, ServiceCentre

    units = sorted(set(ServiceCentre.objects.values_list("unit__code", flat=True)))
    if not units:
        sys.exit("No service centres in this database: load the demo first (manage.py load_demo).")
    Dossier.objects.filter(code__startswith=PREFIX).delete()
    rows = export_rows(units, a.rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dossiers.csv"
        write_csv(rows, path)
        print(f"{a.rows:,} rows for {len(units)} units, {path.stat().st_size / 1e6:.1f} MB")
        for label in ("first import", "re-import, unchanged"):
            seconds, line = timed_import(path)
            print(f"{label:28} {seconds:6.2f} s   {line}")
        changed = resolve_some(rows, 0.03)
        write_csv(rows, path)
        seconds, line = timed_import(path)
        print(f"{'re-import, ' + str(changed) + ' resolved':28} {seconds:6.2f} s   {line}")
    if not a.keep:
        Dossier.objects.filter(code__startswith=PREFIX).delete()


if __name__ == "__main__":
    main()
