"""What the demo generators share: the seed, the demo's end date, random places, names."""

from __future__ import annotations

from datetime import date

import numpy as np
import shapely
from django.db import connection
from pyproj import Transformer

SEED = 2026
TO_UTM = Transformer.from_crs(4326, 32648, always_xy=True)
TO_WGS = Transformer.from_crs(32648, 4326, always_xy=True)
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ"]
GIVEN = ["Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thị Hoa", "Văn Hùng", "Thị Lan", "Đức Long",
         "Thị Mai", "Văn Nam", "Thanh Phong", "Thị Thu", "Văn Tùng"]


def demo_end() -> date:
    """Monthly reports of the demo end with the month before this one: the same data on every
    machine on a given day (fixed seed), and always "current" for dashboards and alerts."""
    return date.today().replace(day=1)


DEMO_END = demo_end()
TODAY = date.today()  # event feeds run up to yesterday: the current month is visibly partial


def random_points_in(rng: np.random.Generator, poly, n: int) -> np.ndarray:
    """n uniformly random (lon, lat) points inside poly (vectorised rejection sampling)."""
    minx, miny, maxx, maxy = poly.bounds
    shapely.prepare(poly)
    out = np.empty((0, 2))
    while len(out) < n:
        k = max(64, 2 * (n - len(out)))
        xy = np.column_stack([rng.uniform(minx, maxx, k), rng.uniform(miny, maxy, k)])
        out = np.vstack([out, xy[shapely.contains_xy(poly, xy[:, 0], xy[:, 1])]])
    return out[:n]


def pt(xy) -> str:
    """EWKT of a (lon, lat) point."""
    return f"SRID=4326;POINT({xy[0]:.6f} {xy[1]:.6f})"


def person_name(rng: np.random.Generator) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"


def phone_number(rng: np.random.Generator) -> str:
    return f"09{int(rng.integers(10_000_000, 99_999_999))}"


def copy_text(table: str, columns: list[str], lines: list[str]) -> int:
    """COPY tab-separated lines (no trailing newline) into a table, on Django's connection."""
    with connection.cursor() as cur, cur.connection.cursor() as pcur:
        with pcur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
            for i in range(0, len(lines), 20_000):
                cp.write("\n".join(lines[i:i + 20_000]) + "\n")
    return len(lines)


def copy_rows(table: str, columns: list[str], rows) -> int:
    """COPY rows (tuples) into a table on Django's connection, inside its transaction."""
    n = 0
    with connection.cursor() as cur:
        with cur.connection.cursor() as pcur:
            with pcur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
                for row in rows:
                    cp.write_row(row)
                    n += 1
    return n
