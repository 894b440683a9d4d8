"""Our pygeoapi feature provider for registry layers: filtering, paging, sorting and GeoJSON
serialisation happen in PostGIS, through Django's connection (psycopg 3)."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime

from dateutil.parser import isoparse
from django.conf import settings
from django.db import connection, transaction
from django.db.utils import DataError, ProgrammingError
from pygeoapi.provider.base import (
    BaseProvider,
    ProviderInvalidQueryError,
    ProviderItemNotFoundError,
    ProviderQueryError,
)

from gis_server.db import read_connection
from layers import registry
from layers.registry import LayerField, LayerSpec
from ogc.cql import cql_to_sql

LOGGER = logging.getLogger(__name__)
MAX_ID = 2**63 - 1
JSON_PAIRS_PER_CALL = 45  # json_build_object takes at most 100 arguments


def _props_sql(fields: tuple[LayerField, ...]) -> str:
    if not fields:
        return "'{}'::jsonb"
    if len(fields) <= JSON_PAIRS_PER_CALL:  # json keeps the declared order; jsonb would sort keys
        return "json_build_object(" + ", ".join(f"'{f.name}', {f.sql}" for f in fields) + ")"
    chunks = [fields[i:i + JSON_PAIRS_PER_CALL] for i in range(0, len(fields), JSON_PAIRS_PER_CALL)]
    parts = ["jsonb_build_object(" + ", ".join(f"'{f.name}', {f.sql}" for f in chunk) + ")" for chunk in chunks]
    return "(" + " || ".join(parts) + ")"


def parse_instant(value: str, *, end: bool = False) -> datetime | date:
    """RFC 3339 date or date-time; a bare date stays a date."""
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?", value):
        raise ValueError(f"not an RFC 3339 date or date-time: {value!r}")
    dt = isoparse(value)
    if dt.tzinfo is None:
        from datetime import UTC

        dt = dt.replace(tzinfo=UTC)
    return dt


def parse_datetime_param(value: str) -> tuple[datetime | date | None, datetime | date | None, bool]:
    """(begin, end, is_instant) for an OGC `datetime` value; raises ValueError when malformed."""
    if "/" in value:
        parts = value.split("/")
        if len(parts) != 2:
            raise ValueError("an interval has exactly one '/'")
        begin = None if parts[0] in ("", "..") else parse_instant(parts[0])
        end = None if parts[1] in ("", "..") else parse_instant(parts[1], end=True)
        if begin is None and end is None:
            raise ValueError("an interval needs at least one end")
        if begin is not None and end is not None and _as_dt(begin) > _as_dt(end, end=True):
            raise ValueError("the interval starts after it ends")
        return begin, end, False
    instant = parse_instant(value)
    return instant, instant, True


def _as_dt(v, end: bool = False):
    if isinstance(v, datetime):
        return v
    from datetime import UTC, time

    return datetime.combine(v, time.max if end else time.min, tzinfo=UTC)


class PostGISLayerProvider(BaseProvider):
    """pygeoapi provider for a layer of our registry (`data` is the layer id)."""

    def __init__(self, provider_def, *, primary: bool = False):
        super().__init__(provider_def)
        # reads may go to a replica; a read right after a write (primary=True) must not
        self.conn = connection if primary else read_connection()
        spec = registry.get_layer(self.data)
        if spec is None:
            raise ProviderQueryError(f"unknown layer {self.data!r}")
        self.spec: LayerSpec = spec
        self.id_field = spec.id_field
        self.time_field = spec.time_field
        self.title_field = spec.title_field
        self._fields = {f.name: f.schema() for f in spec.fields}

    def get_fields(self):
        return self._fields

    # ------------------------------------------------------------------ SQL pieces
    def _from(self) -> str:
        s = self.spec
        sql = f"FROM {s.table} t"
        if s.joins_commune:
            sql += " LEFT JOIN layers_adminunit c ON c.id = t.commune_id"
        return sql

    def _feature_sql(self, select_properties=None, skip_geometry=False) -> str:
        s = self.spec
        fields = s.fields
        if select_properties:
            fields = tuple(f for f in fields if f.name in set(select_properties))
        geom = "NULL::json" if skip_geometry else f'ST_AsGeoJSON(t."{s.geometry_field}", 7)::json'
        return (
            f"json_build_object('type', 'Feature', 'id', t.\"{s.id_field}\", "
            f"'geometry', {geom}, "
            f"'properties', {_props_sql(fields)})"
        )

    def _cast(self, f: LayerField, raw: str, param: str):
        try:
            if f.type == "integer":
                v = int(raw)
                if abs(v) > MAX_ID:
                    raise ValueError
                return v
            if f.type == "number":
                v = float(raw)
                if v != v or v in (float("inf"), float("-inf")):
                    raise ValueError
                return v
            if f.type == "boolean":
                if raw.lower() not in ("true", "false", "1", "0"):
                    raise ValueError
                return raw.lower() in ("true", "1")
            if f.format in ("date", "date-time"):
                return parse_instant(raw)
        except (ValueError, OverflowError):
            raise ProviderInvalidQueryError(
                user_msg=f"{param}: {raw!r} is not a valid {f.format or f.type}"
            ) from None
        return raw

    def _where(self, bbox, datetime_, properties, q, filterq) -> tuple[list[str], list]:
        s = self.spec
        where, params = [], []
        if s.where:
            where.append(s.where)
        if bbox:
            if len(bbox) == 6:
                bbox = [bbox[0], bbox[1], bbox[3], bbox[4]]
            where.append(f't."{s.geometry_field}" && ST_MakeEnvelope(%s, %s, %s, %s, 4326) '
                         f'AND ST_Intersects(t."{s.geometry_field}", ST_MakeEnvelope(%s, %s, %s, %s, 4326))')
            params += list(bbox) * 2
        if datetime_ and s.time_field:
            tf = s.field(s.time_field)
            try:
                begin, end, instant = parse_datetime_param(datetime_)
            except (ValueError, OverflowError) as exc:
                raise ProviderInvalidQueryError(user_msg=f"datetime: {exc}") from None
            col = tf.sql
            if tf.format == "date":
                begin = begin.date() if isinstance(begin, datetime) else begin
                end = end.date() if isinstance(end, datetime) else end
            elif instant and isinstance(begin, date) and not isinstance(begin, datetime):
                begin, end, instant = _as_dt(begin), _as_dt(begin, end=True), False
            else:
                begin = _as_dt(begin) if begin is not None else None
                end = _as_dt(end, end=True) if end is not None else None
            if instant:
                where.append(f"{col} = %s")
                params.append(begin)
            else:
                if begin is not None:
                    where.append(f"{col} >= %s")
                    params.append(begin)
                if end is not None:
                    where.append(f"{col} <= %s")
                    params.append(end)
        for name, raw in properties or []:
            f = s.field(name)
            if f is None:
                raise ProviderInvalidQueryError(user_msg=f"unknown property {name!r}")
            where.append(f"{f.sql} = %s")
            params.append(self._cast(f, raw, name))
        if q:
            text_fields = [f for f in s.fields if f.type == "string" and not f.format]
            if text_fields:
                terms = [t for t in re.split(r"[\s,]+", q) if t][:10]
                for term in terms:
                    where.append("(" + " OR ".join(f"{f.sql} ILIKE %s" for f in text_fields) + ")")
                    params += [f"%{term}%"] * len(text_fields)
        if filterq is not None:
            sql, fparams = cql_to_sql(filterq, {f.name: f for f in s.fields},
                                      geometry_sql=f't."{s.geometry_field}"')
            where.append(sql)
            params += fparams
        return where, params

    def _count(self, where: list[str], params: list) -> tuple[int, bool]:
        """(numberMatched, is_estimate): exact below a threshold, planner estimate above."""
        cap = settings.IOC_COUNT_EXACT_BELOW
        where_sql = (" WHERE " + " AND ".join(where)) if where else ""
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM (SELECT 1 {self._from()}{where_sql} LIMIT {cap + 1}) s", params)
            n = cur.fetchone()[0]
            if n <= cap:
                return n, False
            cur.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 {self._from()}{where_sql}", params)
            plan = cur.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else plan
            return max(int(plan["Plan"]["Plan Rows"]), cap + 1), True

    def _order(self, sortby) -> list[str]:
        """ORDER BY terms; the id always last, so that pages are stable."""
        order = []
        for sb in sortby or []:
            f = self.spec.field(sb["property"])
            if f is None:
                raise ProviderInvalidQueryError(user_msg=f"sortby: unknown property {sb['property']!r}")
            order.append(f"{f.sql} {'DESC' if sb['order'] == '-' else 'ASC'} NULLS LAST")
        order.append(f't."{self.spec.id_field}"')
        return order

    # ------------------------------------------------------------------ pygeoapi API
    def query(self, offset=0, limit=10, resulttype="results", bbox=[], datetime_=None, properties=[],
              sortby=[], select_properties=[], skip_geometry=False, q=None, filterq=None, **kwargs):
        where, params = self._where(bbox, datetime_, properties, q, filterq)
        where_sql = (" WHERE " + " AND ".join(where)) if where else ""
        order = self._order(sortby)
        # A CQL filter may compare a text column with a number: that is the client's error.
        client_errors = (DataError, ProgrammingError) if filterq is not None else (DataError,)
        try:
            with transaction.atomic(using=self.conn.alias):
                matched, estimated = self._count(where, params)
                features = []
                if resulttype != "hits" and limit > 0:
                    sql = (f"SELECT {self._feature_sql(select_properties, skip_geometry)} {self._from()}"
                           f"{where_sql} ORDER BY {', '.join(order)} LIMIT %s OFFSET %s")
                    with self.conn.cursor() as cur:
                        cur.execute(sql, [*params, int(limit), int(offset)])
                        features = [_load(row[0]) for row in cur.fetchall()]
        except client_errors as exc:
            what = "filter" if filterq is not None else "query"
            raise ProviderInvalidQueryError(user_msg=f"{what}: {str(exc).splitlines()[0]}") from None
        out = {
            "type": "FeatureCollection",
            "features": features,
            "numberMatched": matched,
            "numberReturned": len(features),
        }
        if estimated:
            out["numberMatchedIsEstimate"] = True
        return out

    def query_text(self, *, offset: int, limit: int, bbox=(), datetime_=None, properties=(), sortby=(),
                   select_properties=(), skip_geometry=False, q=None) -> tuple[str, int, int, bool]:
        """The fast path: (features as one JSON text built by PostGIS, numberReturned,
        numberMatched, estimated); nothing is parsed or re-serialised in Python."""
        where, params = self._where(list(bbox), datetime_, list(properties), q, None)
        where_sql = (" WHERE " + " AND ".join(where)) if where else ""
        order = self._order(sortby)
        sql = (f"SELECT coalesce(json_agg(x.f), '[]')::text, count(*) FROM ("
               f"SELECT {self._feature_sql(select_properties, skip_geometry)} AS f {self._from()}{where_sql} "
               f"ORDER BY {', '.join(order)} LIMIT %s OFFSET %s) x")
        try:
            with transaction.atomic(using=self.conn.alias):
                matched, estimated = self._count(where, params)
                with self.conn.cursor() as cur:
                    cur.execute(sql, [*params, int(limit), int(offset)])
                    text, returned = cur.fetchone()
        except DataError as exc:
            raise ProviderInvalidQueryError(user_msg=f"query: {str(exc).splitlines()[0]}") from None
        return text, returned, matched, estimated

    def get_text(self, identifier) -> tuple[str, str] | None:
        """The fast path for one feature: (GeoJSON text, ETag) in one query, or None."""
        s = self.spec
        try:
            ident = int(str(identifier))
        except ValueError:
            return None
        if not 0 < ident <= MAX_ID:
            return None
        cond = f't."{s.id_field}" = %s' + (f" AND {s.where}" if s.where else "")
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT ({self._feature_sql()})::text, md5(t::text) {self._from()} WHERE {cond}", [ident])
            row = cur.fetchone()
        return (row[0], f'"{row[1]}"') if row else None

    def get(self, identifier, **kwargs):
        s = self.spec
        try:
            ident = int(str(identifier))
        except ValueError:
            raise ProviderItemNotFoundError(user_msg=f"item {identifier!r} not found") from None
        if not 0 < ident <= MAX_ID:
            raise ProviderItemNotFoundError(user_msg=f"item {identifier!r} not found")
        cond = f't."{s.id_field}" = %s' + (f" AND {s.where}" if s.where else "")
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT {self._feature_sql()} {self._from()} WHERE {cond}", [ident])
            row = cur.fetchone()
        if row is None:
            raise ProviderItemNotFoundError(user_msg=f"item {identifier!r} not found")
        return _load(row[0])

    def __repr__(self):
        return f"<PostGISLayerProvider {self.data}>"


def _load(value):
    if isinstance(value, (dict, list)):
        return value
    import json

    return json.loads(value)
