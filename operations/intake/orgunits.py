"""The organisation units a data set is reported for: admin units of one level, or the
facilities of a layer (code = prefix + id), each with its district for officers' scopes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection

from operations.intake.spec import DataSet


@dataclass(frozen=True)
class OrgUnit:
    id: int
    code: str
    name: str
    district_id: int | None
    district: str


def org_units(ds: DataSet, districts: frozenset[int] | None = None) -> list[OrgUnit]:
    """The data set's units in code order; with `districts`, only those in them."""
    ou = ds.org_units
    if ou.level:
        sql = """SELECT u.id, u.code, u.kind || ' ' || u.name,
                        CASE u.level WHEN 'district' THEN u.id WHEN 'commune' THEN u.parent_id END, coalesce(d.name, '')
                   FROM layers_adminunit u
                   LEFT JOIN layers_adminunit d ON d.id = CASE u.level WHEN 'district' THEN u.id
                                                                       WHEN 'commune' THEN u.parent_id END
                  WHERE u.level = %s ORDER BY u.code"""
        params = [ou.level]
    else:
        table = connection.ops.quote_name(ou.table)
        sql = f"""SELECT f.id, %s || lpad(f.id::text, 5, '0'), f.name, c.parent_id, coalesce(d.name, '')
                    FROM {table} f
                    LEFT JOIN layers_adminunit c ON c.id = f.commune_id
                    LEFT JOIN layers_adminunit d ON d.id = c.parent_id
                   WHERE {ou.where or "true"} ORDER BY d.code NULLS LAST, c.code, f.name, f.id"""
        params = [ou.prefix]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        units = [OrgUnit(*r) for r in cur.fetchall()]
    if districts is not None:
        units = [u for u in units if u.district_id in districts]
    return units


def normalise_code(ds: DataSet, code) -> str:
    """A unit code as written in a sheet: numbers lose a trailing ".0", facility ids get their
    zero padding ("TR12" → "TR00012")."""
    text = str(code).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    prefix = ds.org_units.prefix
    if prefix:
        m = re.fullmatch(rf"{re.escape(prefix)}0*(\d+)", text, re.I)
        if m:
            return f"{prefix}{int(m[1]):05d}"
    return text
