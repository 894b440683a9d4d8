"""The typed query module: a layer plus typed filters -> SQL, run on PostGIS.

The OGC provider, the GeoJSON fast path, exports and briefings all read features through
`LayerQuery`, so a filter means the same thing everywhere. Every value is a bound parameter;
the only SQL that comes from outside is `Filters.extra`, which the caller has already
translated and parameterised (CQL2, by `ogc.cql`)."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from dateutil.parser import isoparse
from django.conf import settings
from django.db import connection, transaction
from django.db.utils import DataError, ProgrammingError

from gis_server.db import read_connection
from gis_server.errors import BadRequest
from layers.editing import ETAG_SQL, MAX_ID
from layers.registry import LayerField, LayerSpec

JSON_PAIRS_PER_CALL = 45  # json_build_object takes at most 100 arguments
MAX_SEARCH_TERMS = 10


class QueryError(BadRequest):
    """A filter the client got wrong (unknown property, malformed value)."""


def check_bbox(raw: str) -> list[float]:
    """A `bbox` parameter (4 numbers, or 6 with z) checked and parsed; QueryError otherwise."""
    parts = raw.split(",")
    if len(parts) not in (4, 6):
        raise QueryError("bbox must have 4 numbers (minx,miny,maxx,maxy) or 6 (with z)")
    try:
        vals = [float(p) for p in parts]
    except ValueError:
        raise QueryError(f"bbox values must be numbers: {raw!r}") from None
    if not all(math.isfinite(v) for v in vals):
        raise QueryError("bbox values must be finite numbers")
    minx, miny, maxx, maxy = (vals[0], vals[1], vals[2], vals[3]) if len(vals) == 4 else (
        vals[0], vals[1], vals[3], vals[4])
    if miny > maxy:
        raise QueryError("bbox: miny is greater than maxy")
    if minx > maxx:
        raise QueryError("bbox: minx is greater than maxx (antimeridian boxes are not supported)")
    if not (-90 <= miny <= 90 and -90 <= maxy <= 90):
        raise QueryError("bbox: latitudes must lie between -90 and 90")
    return vals


# ------------------------------------------------------------------------------ time values
def parse_instant(value: str) -> datetime | date:
    """RFC 3339 date or date-time; a bare date stays a date, a date-time without zone is UTC."""
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?", value):
        raise ValueError(f"not an RFC 3339 date or date-time: {value!r}")
    dt = isoparse(value)
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt


def as_datetime(v: datetime | date, *, end: bool = False) -> datetime:
    """A date as the first (or, with end, the last) instant of its day, in UTC."""
    if isinstance(v, datetime):
        return v
    return datetime.combine(v, time.max if end else time.min, tzinfo=UTC)


def parse_datetime_param(value: str) -> tuple[datetime | date | None, datetime | date | None, bool]:
    """(begin, end, is_instant) for an OGC `datetime` value; raises ValueError when malformed."""
    if "/" in value:
        parts = value.split("/")
        if len(parts) != 2:
            raise ValueError("an interval has exactly one '/'")
        begin = None if parts[0] in ("", "..") else parse_instant(parts[0])
        end = None if parts[1] in ("", "..") else parse_instant(parts[1])
        if begin is None and end is None:
            raise ValueError("an interval needs at least one end")
        if begin is not None and end is not None and as_datetime(begin) > as_datetime(end, end=True):
            raise ValueError("the interval starts after it ends")
        return begin, end, False
    instant = parse_instant(value)
    return instant, instant, True


# ------------------------------------------------------------------------------ the request
@dataclass(frozen=True)
class Filters:
    """Which features: the same meaning on /ogc, in exports and in briefings."""

    bbox: tuple[float, ...] = ()  # minx, miny, maxx, maxy (or 6 numbers with z), CRS84
    datetime: str | None = None  # an OGC instant or interval
    properties: tuple[tuple[str, str], ...] = ()  # property = value, values as sent
    q: str | None = None  # free-text search over the text properties
    extra: tuple[tuple[str, tuple], ...] = ()  # (SQL condition on alias t, its parameters), pre-translated


@dataclass(frozen=True)
class Sort:
    property: str
    descending: bool = False


@dataclass(frozen=True)
class Page:
    """Which slice and which parts of each feature."""

    offset: int = 0
    limit: int = 10
    sortby: tuple[Sort, ...] = ()
    properties: tuple[str, ...] = ()  # empty: all
    skip_geometry: bool = False


def _props_sql(fields: tuple[LayerField, ...]) -> str:
    if not fields:
        return "'{}'::jsonb"
    if len(fields) <= JSON_PAIRS_PER_CALL:  # json keeps the declared order; jsonb would sort keys
        return "json_build_object(" + ", ".join(f"'{f.name}', {f.sql}" for f in fields) + ")"
    chunks = [fields[i:i + JSON_PAIRS_PER_CALL] for i in range(0, len(fields), JSON_PAIRS_PER_CALL)]
    parts = ["jsonb_build_object(" + ", ".join(f"'{f.name}', {f.sql}" for f in chunk) + ")" for chunk in chunks]
    return "(" + " || ".join(parts) + ")"


def _text(raw: str, param: str) -> str:
    """Text a client sent, as PostgreSQL can store it (no NUL, valid UTF-8)."""
    if "\x00" in raw:
        raise QueryError(f"{param}: text must not contain NUL characters")
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        raise QueryError(f"{param}: text is not valid Unicode") from None
    return raw


def _cast(f: LayerField, raw: str, param: str):
    """A property filter's text value as the field's type."""
    raw = _text(raw, param)
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
        raise QueryError(f"{param}: {raw!r} is not a valid {f.format or f.type}") from None
    return raw


def _id(identifier) -> int | None:
    try:
        ident = int(str(identifier))
    except ValueError:
        return None
    return ident if 0 < ident <= MAX_ID else None


class LayerQuery:
    """Reads of one layer. Reads may go to a replica; `primary=True` for a read right after
    a write."""

    def __init__(self, spec: LayerSpec, *, primary: bool = False, audience: frozenset[str] | None = None):
        """`audience`: the ids of the layers the reader may read, for layers whose rows follow
        other layers' access (spec.row_filter); without it such a layer shows only what anyone
        may see."""
        self.spec = spec
        self.conn = connection if primary else read_connection()
        self.audience = audience if audience is not None else frozenset()

    def _row_filter(self) -> tuple[list[str], list]:
        if self.spec.row_filter is None:
            return [], []
        sql, params = self.spec.row_filter(self.audience)
        return [sql], list(params)

    # ---------------------------------------------------------------- SQL pieces
    def from_sql(self) -> str:
        s = self.spec
        sql = f"FROM {s.table} t"
        if s.joins_commune:
            sql += " LEFT JOIN layers_adminunit c ON c.id = t.commune_id"
        return sql

    def feature_sql(self, properties: tuple[str, ...] = (), skip_geometry: bool = False) -> str:
        """One GeoJSON Feature as a json value, built by PostGIS."""
        s = self.spec
        fields = tuple(f for f in s.fields if f.name in set(properties)) if properties else s.fields
        geom = "NULL::json" if skip_geometry else f'ST_AsGeoJSON(t."{s.geometry_field}", 7)::json'
        return (f"json_build_object('type', 'Feature', 'id', t.\"{s.id_field}\", "
                f"'geometry', {geom}, 'properties', {_props_sql(fields)})")

    def where(self, filters: Filters) -> tuple[list[str], list]:
        s = self.spec
        where, params = self._row_filter()
        if s.where:
            where.append(s.where)
        if filters.bbox:
            b = filters.bbox
            box = [b[0], b[1], b[3], b[4]] if len(b) == 6 else list(b)
            where.append(f't."{s.geometry_field}" && ST_MakeEnvelope(%s, %s, %s, %s, 4326) '
                         f'AND ST_Intersects(t."{s.geometry_field}", ST_MakeEnvelope(%s, %s, %s, %s, 4326))')
            params += box * 2
        if filters.datetime and s.time_field:
            sql, p = self._time_condition(filters.datetime)
            where += sql
            params += p
        for name, raw in filters.properties:
            f = s.field(name)
            if f is None:
                raise QueryError(f"unknown property {name!r}")
            where.append(f"{f.sql} = %s")
            params.append(_cast(f, raw, name))
        if filters.q:
            _text(filters.q, "q")
            text_fields = [f for f in s.fields if f.type == "string" and not f.format]
            for term in [t for t in re.split(r"[\s,]+", filters.q) if t][:MAX_SEARCH_TERMS] if text_fields else []:
                where.append("(" + " OR ".join(f"{f.sql} ILIKE %s" for f in text_fields) + ")")
                params += [f"%{term}%"] * len(text_fields)
        for sql, p in filters.extra:
            where.append(sql)
            params += list(p)
        return where, params

    def _time_condition(self, value: str) -> tuple[list[str], list]:
        tf = self.spec.field(self.spec.time_field)
        _text(value, "datetime")
        try:
            begin, end, instant = parse_datetime_param(value)
        except (ValueError, OverflowError) as exc:
            raise QueryError(f"datetime: {exc}") from None
        if tf.format == "date":
            begin = begin.date() if isinstance(begin, datetime) else begin
            end = end.date() if isinstance(end, datetime) else end
        elif instant and isinstance(begin, date) and not isinstance(begin, datetime):
            begin, end, instant = as_datetime(begin), as_datetime(begin, end=True), False
        else:
            begin = as_datetime(begin) if begin is not None else None
            end = as_datetime(end, end=True) if end is not None else None
        if instant:
            return [f"{tf.sql} = %s"], [begin]
        sql, params = [], []
        if begin is not None:
            sql.append(f"{tf.sql} >= %s")
            params.append(begin)
        if end is not None:
            sql.append(f"{tf.sql} <= %s")
            params.append(end)
        return sql, params

    def order_by(self, sortby: tuple[Sort, ...]) -> str:
        """ORDER BY terms; the id always last, so that pages are stable."""
        order = []
        for sb in sortby:
            f = self.spec.field(sb.property)
            if f is None:
                raise QueryError(f"sortby: unknown property {sb.property!r}")
            order.append(f"{f.sql} {'DESC' if sb.descending else 'ASC'} NULLS LAST")
        order.append(f't."{self.spec.id_field}"')
        return ", ".join(order)

    @staticmethod
    def _where_sql(where: list[str]) -> str:
        return (" WHERE " + " AND ".join(where)) if where else ""

    # ---------------------------------------------------------------- counts
    def count(self, where: list[str], params: list) -> tuple[int, bool]:
        """(numberMatched, is_estimate): exact below IOC_COUNT_EXACT_BELOW, the planner's
        estimate above it, so that no request counts a whole big table."""
        cap = settings.IOC_COUNT_EXACT_BELOW
        where_sql = self._where_sql(where)
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM (SELECT 1 {self.from_sql()}{where_sql} LIMIT {cap + 1}) s", params)
            n = cur.fetchone()[0]
            if n <= cap:
                return n, False
            cur.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 {self.from_sql()}{where_sql}", params)
            plan = cur.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else plan
            return max(int(plan["Plan"]["Plan Rows"]), cap + 1), True

    def count_exact(self, filters: Filters) -> int:
        where, params = self.where(filters)
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT count(*) {self.from_sql()}{self._where_sql(where)}", params)
            return cur.fetchone()[0]

    # ---------------------------------------------------------------- features
    def _client_errors(self, filters: Filters) -> tuple:
        # a pre-translated filter (CQL2) may compare a text column with a number: the client's error
        return (DataError, ProgrammingError) if filters.extra else (DataError,)

    def feature_collection(self, filters: Filters, page: Page, *, hits_only: bool = False) -> dict:
        """A GeoJSON FeatureCollection (features parsed into Python objects)."""
        where, params = self.where(filters)
        order = self.order_by(page.sortby)
        try:
            with transaction.atomic(using=self.conn.alias):
                matched, estimated = self.count(where, params)
                features = []
                if not hits_only and page.limit > 0:
                    with self.conn.cursor() as cur:
                        cur.execute(f"SELECT {self.feature_sql(page.properties, page.skip_geometry)} "
                                    f"{self.from_sql()}{self._where_sql(where)} ORDER BY {order} LIMIT %s OFFSET %s",
                                    [*params, int(page.limit), int(page.offset)])
                        features = [_load(row[0]) for row in cur.fetchall()]
        except self._client_errors(filters) as exc:
            what = "filter" if filters.extra else "query"
            raise QueryError(f"{what}: {str(exc).splitlines()[0]}") from None
        out = {"type": "FeatureCollection", "features": features, "numberMatched": matched,
               "numberReturned": len(features)}
        if estimated:
            out["numberMatchedIsEstimate"] = True
        return out

    def features_text(self, filters: Filters, page: Page) -> tuple[str, int, int, bool]:
        """The fast path: (features as one JSON text built by PostGIS, numberReturned,
        numberMatched, estimated); nothing is parsed or re-serialised in Python."""
        where, params = self.where(filters)
        sql = (f"SELECT coalesce(json_agg(x.f), '[]')::text, count(*) FROM ("
               f"SELECT {self.feature_sql(page.properties, page.skip_geometry)} AS f {self.from_sql()}"
               f"{self._where_sql(where)} ORDER BY {self.order_by(page.sortby)} LIMIT %s OFFSET %s) x")
        try:
            with transaction.atomic(using=self.conn.alias):
                matched, estimated = self.count(where, params)
                with self.conn.cursor() as cur:
                    cur.execute(sql, [*params, int(page.limit), int(page.offset)])
                    text, returned = cur.fetchone()
        except self._client_errors(filters) as exc:
            raise QueryError(f"query: {str(exc).splitlines()[0]}") from None
        return text, returned, matched, estimated

    def _own(self, ident: int) -> tuple[str, list]:
        """The condition selecting one feature (and only if the reader may see it)."""
        s = self.spec
        rows, params = self._row_filter()
        sql = " AND ".join([f't."{s.id_field}" = %s', *([s.where] if s.where else []), *rows])
        return sql, [ident, *params]

    def _one_row(self, identifier, select: str) -> tuple | None:
        ident = _id(identifier)
        if ident is None:
            return None
        own, params = self._own(ident)
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT {select} {self.from_sql()} WHERE {own}", params)
            return cur.fetchone()

    def feature_text(self, identifier) -> tuple[str, str] | None:
        """One feature as GeoJSON text and its ETag, in one query; None if there is none."""
        row = self._one_row(identifier, f"({self.feature_sql()})::text, {ETAG_SQL}")
        return (row[0], f'"{row[1]}"') if row else None

    def feature(self, identifier) -> dict | None:
        row = self._one_row(identifier, self.feature_sql())
        return _load(row[0]) if row else None

    # ---------------------------------------------------------------- rows, for files
    def rows_sql(self, filters: Filters) -> tuple[str, list]:
        """SELECT of id, every field (named as published) and the geometry as WKB, by id."""
        s = self.spec
        where, params = self.where(filters)
        cols = ", ".join(f'{f.sql} AS "{f.name}"' for f in s.fields)
        sql = (f'SELECT t."{s.id_field}" AS id, {cols}, ST_AsBinary(t."{s.geometry_field}") AS geom '
               f'{self.from_sql()}{self._where_sql(where)} ORDER BY t."{s.id_field}"')
        return sql, params


def _load(value):
    return value if isinstance(value, (dict, list)) else json.loads(value)
