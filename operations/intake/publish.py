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


def publish(ds: DataSet, values: dict[tuple[int, date], dict[str, float]]) -> int:
    """Write each (unit, period)'s values into their sinks; returns rows written."""
    groups: dict[tuple, dict[tuple[int, date], dict[str, float]]] = defaultdict(dict)
    for (org, period), by_element in values.items():
        for code, v in by_element.items():
            sink = ds.element_by_code[code].sink
            if sink is not None:
                groups[sink.row].setdefault((org, period), {})[sink.column] = v
    written = 0
    for row, rows in groups.items():
        columns = sorted({c for e in ds.elements if e.sink is not None and e.sink.row == row for c in [e.sink.column]})
        by_present: dict[frozenset, list] = defaultdict(list)
        for key, cols in rows.items():
            by_present[frozenset(cols)].append((key, cols))
        for present, items in by_present.items():
            written += _upsert(row, columns, sorted(present), items)
    cache.clear()  # the dashboard's figures (this process) show the new values at once
    return written


def _upsert(row: tuple, columns: list[str], present: list[str], items: list) -> int:
    table, ucol, pcol, keys, defaults, as_year = row
    key_cols, key_exprs, params = _key_sql(keys)
    period = "extract(year FROM v.period)::int" if as_year else "v.period"
    inserted = [f"coalesce(v.c{i}, 0)" if c in present else "0" for i, c in enumerate(columns)]
    sql = f"""INSERT INTO {_q(table)} AS t ({_q(ucol)}, {_q(pcol)}, {
        ", ".join(key_cols + [_q(c) for c in columns] + [_q(d) for d, _e in defaults])
    })
              SELECT v.unit, {period}, {", ".join(key_exprs + inserted + [e for _d, e in defaults])}
                FROM unnest(%s::bigint[], %s::date[]{", %s::float8[]" * len(columns)})
                     AS v(unit, period{"".join(f", c{i}" for i in range(len(columns)))})
              ON CONFLICT ({", ".join([_q(ucol), _q(pcol)] + key_cols)})
              DO UPDATE SET {", ".join(f"{_q(c)} = EXCLUDED.{_q(c)}" for c in present)}"""
    units = [k[0] for k, _c in items]
    periods = [k[1] for k, _c in items]
    arrays = [[cols.get(c) for _k, cols in items] for c in columns]
    with connection.cursor() as cur:
        cur.execute(sql, params + [units, periods] + arrays)
        return cur.rowcount


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
