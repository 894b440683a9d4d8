"""Submitted values land in the tables behind the domains' time-enabled layers (the sinks
their elements declare), so the map, the cards, the alert rules and the upward report read
them; a deleted submission takes its rows away again."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.core.cache import cache
from django.db import connection

from operations.intake.spec import DataSet, Raw, Sink


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _key_sql(keys) -> tuple[list[str], list[str], list]:
    cols, exprs, params = [], [], []
    for col, val in keys:
        cols.append(_q(col))
        if isinstance(val, Raw):
            exprs.append(val.sql)
        else:
            exprs.append("%s")
            params.append(val)
    return cols, exprs, params


STAGED = "intake_staged"  # the temporary table of one store's values (services._stage fills it)


def publish(ds: DataSet) -> int:
    """Write the staged reports that are submitted or approved into their sinks: every value each
    of those reports holds (not only the staged ones). Returns the rows written."""
    rows: dict[tuple, list[str]] = defaultdict(list)  # sink row → the columns of it the data set fills
    elements: dict[tuple, dict[str, str]] = defaultdict(dict)  # sink row → column → element code
    for e in ds.elements:
        if e.sink is not None:
            rows[e.sink.row].append(e.sink.column)
            elements[e.sink.row][e.sink.column] = e.code
    written = sum(_upsert(ds, row, elements[row]) for row in rows)
    if rows:
        cache.clear()  # the dashboard's figures (this process) show the new values at once
    return written


def _upsert(ds: DataSet, row: tuple, columns: dict[str, str]) -> int:
    """Update the existing rows of the sink (a column only where the report has its element), then
    insert the missing ones (an absent element as 0)."""
    table, ucol, pcol, keys, defaults, as_year = row
    key_cols, key_exprs, key_params = _key_sql(keys)
    cols = list(columns)
    period = "extract(year FROM v.period)::int" if as_year else "v.period"  # v: the reports' values, one row each
    source = f"""SELECT s.org_id AS unit, s.period,
                        {", ".join(f"max(v.value) FILTER (WHERE v.element = %s) AS c{i}" for i in range(len(cols)))}
                   FROM layers_submission s JOIN layers_datavalue v ON v.submission_id = s.id
                  WHERE s.dataset = %s AND s.status IN ('submitted', 'approved')
                    AND (s.org_id, s.period) IN (SELECT org, period FROM {STAGED})
                  GROUP BY s.org_id, s.period"""
    source_params = [columns[c] for c in cols] + [ds.code]
    match = " AND ".join([f"t.{_q(ucol)} = v.unit", f"t.{_q(pcol)} = {period}"]
                         + [f"t.{c} = {e}" for c, e in zip(key_cols, key_exprs, strict=True)])
    with connection.cursor() as cur:
        cur.execute(f"""UPDATE {_q(table)} AS t SET {", ".join(f"{_q(c)} = coalesce(v.c{i}, t.{_q(c)})"
                                                              for i, c in enumerate(cols))}
                          FROM ({source}) v WHERE {match}""", source_params + key_params)
        updated = cur.rowcount
        cur.execute(f"""INSERT INTO {_q(table)} ({", ".join([_q(ucol), _q(pcol)] + key_cols + [_q(c) for c in cols]
                                                           + [_q(d) for d, _e in defaults])})
                        SELECT v.unit, {period}, {", ".join(
                            key_exprs + [f"coalesce(v.c{i}, 0)" for i in range(len(cols))]
                            + [e for _d, e in defaults])}
                          FROM ({source}) v
                        ON CONFLICT ({", ".join([_q(ucol), _q(pcol)] + key_cols)}) DO NOTHING""",
                    key_params + source_params)
        return updated + cur.rowcount


def unpublish(ds: DataSet, org_id: int, period: date) -> int:
    """Remove the rows a submission published."""
    removed = 0
    rows = {e.sink.row: e.sink for e in ds.elements if e.sink is not None}
    for sink in rows.values():
        removed += _delete(sink, org_id, period)
    cache.clear()
    return removed


def _delete(sink: Sink, org_id: int, period: date) -> int:
    key_cols, key_exprs, params = _key_sql(sink.keys)
    where = [f"{c} = {e}" for c, e in zip(key_cols, key_exprs, strict=True)]
    pval = period.year if sink.period_as_year else period
    with connection.cursor() as cur:
        cur.execute(
            f"DELETE FROM {_q(sink.table)} WHERE {_q(sink.unit_column)} = %s AND {_q(sink.period_column)} = %s"
            + "".join(f" AND {w}" for w in where),
            [org_id, pval] + params,
        )
        return cur.rowcount
