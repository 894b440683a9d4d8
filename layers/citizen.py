"""Citizen reports: duplicate detection and the public status view (no personal data)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection

DUPLICATE_METRES = 50
DUPLICATE_DAYS = 7


def possible_duplicates(*, category: str, lon: float, lat: float, at: datetime, exclude: int | None = None,
                        limit: int = 10) -> list[dict]:
    """Reports of the same category within 50 m and 7 days: offered as duplicates."""
    with connection.cursor() as cur:
        cur.execute("""
            SELECT r.id, r.code, r.status, r.received_at,
                   round(ST_Distance(r.geom::geography, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography)::numeric, 1)
              FROM layers_citizenreport r
             WHERE r.category = %s AND r.id <> coalesce(%s, -1)
               AND r.received_at BETWEEN %s AND %s
               AND ST_DWithin(r.geom::geography, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s)
             ORDER BY 5 LIMIT %s""",
                    [lon, lat, category, exclude, at - timedelta(days=DUPLICATE_DAYS), at + timedelta(days=DUPLICATE_DAYS),
                     lon, lat, DUPLICATE_METRES, limit])
        return [{"id": i, "code": c, "status": s, "received_at": r.isoformat(), "distance_m": float(d)}
                for i, c, s, r, d in cur.fetchall()]


def public_status(code: str) -> dict | None:
    """What anyone may know about a report: no name, no phone, no exact position."""
    with connection.cursor() as cur:
        cur.execute("""SELECT r.code, r.category, r.status, r.received_at, r.due_date, a.name, c.name
                         FROM layers_citizenreport r
                         LEFT JOIN layers_adminunit a ON a.id = r.assigned_unit_id
                         LEFT JOIN layers_adminunit c ON c.id = r.commune_id
                        WHERE r.code = %s""", [code])
        row = cur.fetchone()
    if row is None:
        return None
    return {"code": row[0], "category": row[1], "status": row[2], "received_at": row[3].isoformat(),
            "due_date": row[4].isoformat(), "assigned_unit": row[5], "commune": row[6]}
