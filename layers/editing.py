"""Feature writes for every editing path (OGC transactions, field editor, restores): one set
of validation rules, one set of permission checks, one transaction per write."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np
import shapely
from dateutil.parser import isoparse
from django.db import IntegrityError, connection, transaction
from pyproj import Transformer
from shapely.geometry import shape

from gis_server.errors import BadRequest, Forbidden, NotFound, PreconditionFailed, PreconditionRequired
from layers.access import editing_districts
from layers.geometry import FAMILY, repair, write_srid
from layers.models import IdempotencyKey
from layers.registry import LayerField, LayerSpec

PROVINCE_TOLERANCE_DEG = 0.005  # about 500 m
MAX_ID = 2**63 - 1


class FeatureInvalid(BadRequest):
    pass


class EditForbidden(Forbidden):
    pass


class FeatureNotFound(NotFound):
    pass


class VersionConflict(PreconditionFailed):
    pass


class VersionRequired(PreconditionRequired):
    pass


@dataclass
class CleanFeature:
    values: dict[str, object] = field(default_factory=dict)  # column -> value
    geom_wkb: str | None = None  # hex EWKB in EPSG:4326
    repaired: bool = False


def srid_for(content_crs: str | None) -> int:
    """The SRID of a write's Content-Crs (see layers.geometry for what is accepted)."""
    return write_srid(content_crs)


def parse_feature(body: bytes, *, max_bytes: int) -> dict:
    if len(body) > max_bytes:
        raise FeatureInvalid(f"the request body is {len(body):,} bytes; at most {max_bytes:,} are accepted",
                             {"body": "too large"})
    try:
        doc = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeatureInvalid(f"malformed JSON: {exc}", {"body": "malformed JSON"}) from None
    except RecursionError:
        raise FeatureInvalid("the JSON is nested too deeply", {"body": "nested too deeply"}) from None
    if not isinstance(doc, dict):
        raise FeatureInvalid("the body must be a GeoJSON Feature object", {"body": "not an object"})
    return doc


@lru_cache(maxsize=8)
def _to_wgs84(srid: int) -> Transformer:
    return Transformer.from_crs(srid, 4326, always_xy=True)


@lru_cache(maxsize=1)
def _province():
    with connection.cursor() as cur:
        cur.execute("SELECT ST_AsBinary(geom) FROM layers_adminunit WHERE level = 'province' LIMIT 1")
        row = cur.fetchone()
    if row is None:
        return None
    g = shapely.from_wkb(bytes(row[0])).buffer(PROVINCE_TOLERANCE_DEG)
    shapely.prepare(g)
    return g


def clean_geometry(spec: LayerSpec, geometry, srid: int) -> tuple[str, bool]:
    """Hex WKB in EPSG:4326 of a valid geometry of the layer's type inside the province."""
    if not isinstance(geometry, dict):
        raise FeatureInvalid("geometry is missing", {"geometry": "required"})
    try:
        g = shape(geometry)
    except Exception as exc:  # shapely raises several kinds for malformed GeoJSON
        raise FeatureInvalid(f"geometry is not valid GeoJSON: {exc}", {"geometry": "malformed"}) from None
    if g.is_empty:
        raise FeatureInvalid("geometry is empty", {"geometry": "empty"})
    if shapely.has_z(g):
        raise FeatureInvalid("geometry must be 2-D (longitude, latitude); drop the third coordinate",
                             {"geometry": "has a Z coordinate"})
    coords = shapely.get_coordinates(g)
    if not all(math.isfinite(v) for v in coords.ravel()):
        raise FeatureInvalid("geometry has non-finite coordinates", {"geometry": "non-finite coordinates"})
    if srid != 4326:
        t = _to_wgs84(srid)
        g = shapely.transform(g, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))
    want = spec.geometry_type
    if want != "Geometry" and FAMILY.get(g.geom_type) != FAMILY.get(want):
        raise FeatureInvalid(f"geometry must be a {want}, not a {g.geom_type}", {"geometry": f"expected {want}"})
    repaired = False
    if not g.is_valid:
        reason = shapely.is_valid_reason(g)
        g = repair(g)
        if g is None:
            raise FeatureInvalid(f"invalid geometry that cannot be repaired: {reason}", {"geometry": reason})
        repaired = True
    if want.startswith("Multi") and not g.geom_type.startswith("Multi"):
        g = {"Point": shapely.multipoints, "LineString": shapely.multilinestrings,
             "Polygon": shapely.multipolygons}[g.geom_type]([g])
    elif not want.startswith("Multi") and want != "Geometry" and g.geom_type.startswith("Multi"):
        if len(g.geoms) != 1:
            raise FeatureInvalid(f"geometry must be a single {want}", {"geometry": f"expected {want}"})
        g = g.geoms[0]
    province = _province()
    if province is not None and not province.covers(g):
        raise FeatureInvalid("geometry lies outside the province", {"geometry": "outside the province"})
    return shapely.to_wkb(g, hex=True, include_srid=False), repaired


def _clean_value(f: LayerField, v):
    if v is None:
        return None
    if f.type == "integer":
        if isinstance(v, bool) or not isinstance(v, (int, float)) or (isinstance(v, float) and not v.is_integer()):
            raise ValueError("must be an integer")
        v = int(v)
        if abs(v) > 2**31 - 1:
            raise ValueError("is out of range")
    elif f.type == "number":
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise ValueError("must be a number")
        v = float(v)
    elif f.type == "boolean":
        if not isinstance(v, bool):
            raise ValueError("must be true or false")
    elif f.format == "date":
        if not isinstance(v, str):
            raise ValueError("must be a date (YYYY-MM-DD)")
        try:
            v = date.fromisoformat(v)
        except ValueError:
            raise ValueError("must be a date (YYYY-MM-DD)") from None
    elif f.format == "date-time":
        if not isinstance(v, str):
            raise ValueError("must be an RFC 3339 date-time")
        try:
            v = isoparse(v)
        except ValueError:
            raise ValueError("must be an RFC 3339 date-time") from None
        if v.tzinfo is None:
            raise ValueError("needs a time zone (e.g. +07:00 or Z)")
    else:
        if not isinstance(v, str):
            raise ValueError("must be text")
        if "\x00" in v:
            raise ValueError("must not contain NUL characters")
        try:
            v.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("is not valid Unicode (a lone surrogate?)") from None
        if f.max_length and len(v) > f.max_length:
            raise ValueError(f"is longer than {f.max_length} characters")
    if f.choices and str(v) not in {c[0] for c in f.choices}:
        raise ValueError(f"must be one of {', '.join(c[0] for c in f.choices)}")
    if f.minimum is not None and isinstance(v, (int, float)) and v < f.minimum:
        raise ValueError(f"must be at least {f.minimum}")
    if f.maximum is not None and isinstance(v, (int, float)) and v > f.maximum:
        raise ValueError(f"must be at most {f.maximum}")
    return v


def clean_properties(spec: LayerSpec, props, *, partial: bool) -> dict[str, object]:
    if props is None:
        props = {}
    if not isinstance(props, dict):
        raise FeatureInvalid("properties must be an object", {"properties": "not an object"})
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    for name, v in props.items():
        f = spec.field(name)
        if f is None:
            errors[name] = "unknown property"
            continue
        if f.column is None:
            continue  # computed (read-only) fields such as the commune are ignored on input
        try:
            v = _clean_value(f, v)
        except ValueError as exc:
            errors[name] = str(exc)
            continue
        if v is None and f.required:
            errors[name] = "is required"
            continue
        if v == "" and f.required:
            errors[name] = "is required"
            continue
        values[f.column] = v
    if not partial:
        for f in spec.fields:
            if f.required and f.column and f.column not in values and f.name not in errors:
                errors[f.name] = "is required"
    if errors:
        raise FeatureInvalid("; ".join(f"{k}: {v}" for k, v in errors.items()), errors)
    return values


def clean_feature(spec: LayerSpec, doc: dict, *, srid: int, partial: bool = False) -> CleanFeature:
    if not partial and doc.get("type") != "Feature":
        raise FeatureInvalid("the body must be a GeoJSON Feature", {"type": "must be 'Feature'"})
    errors: dict[str, str] = {}
    out = CleanFeature()
    try:
        out.values = clean_properties(spec, doc.get("properties"), partial=partial)
    except FeatureInvalid as exc:
        errors.update(exc.errors)
    if "geometry" in doc or not partial:
        try:
            out.geom_wkb, out.repaired = clean_geometry(spec, doc.get("geometry"), srid)
        except FeatureInvalid as exc:
            errors.update(exc.errors)
    if errors:
        raise FeatureInvalid("; ".join(f"{k}: {v}" for k, v in errors.items()), errors)
    return out


# ------------------------------------------------------------------------------ permissions
def require_edit(user, spec: LayerSpec) -> list[int | None]:
    districts = editing_districts(user, spec)
    if districts is None:
        raise EditForbidden(f"you may not edit layer {spec.id!r}")
    return districts


def require_edit_of(user, spec: LayerSpec, fid: int) -> None:
    """The user may edit this very feature (layer right and district scope); 404 if it is not there."""
    districts = require_edit(user, spec)
    if feature_etag(spec, fid) is None:
        raise FeatureNotFound(f"item {fid} not found")
    _check_district(districts, f'(SELECT t."{spec.geometry_field}" FROM {spec.table} t WHERE {_own(spec, fid)})',
                    [fid], "the feature")


def _check_district(districts: list[int | None], geom_sql: str, params: list, what: str) -> None:
    if districts == [None]:
        return
    with connection.cursor() as cur:
        cur.execute(f"SELECT EXISTS (SELECT 1 FROM layers_adminunit d WHERE d.id = ANY(%s) "
                    f"AND ST_Covers(ST_Buffer(d.geom, 0.0005), {geom_sql}))", [districts, *params])
        if not cur.fetchone()[0]:
            raise EditForbidden(f"{what} lies outside the district(s) you may edit")


# ------------------------------------------------------------------------------ writes
ETAG_SQL = "md5(t::text)"  # a row's version: any change to any column changes it


def feature_etag(spec: LayerSpec, fid: int, *, lock: bool = False) -> str | None:
    cond = f't."{spec.id_field}" = %s' + (f" AND {spec.where}" if spec.where else "")
    with connection.cursor() as cur:
        cur.execute(f"SELECT {ETAG_SQL} FROM {spec.table} t WHERE {cond}{' FOR UPDATE' if lock else ''}",
                    [fid])
        row = cur.fetchone()
    return f'"{row[0]}"' if row else None


def _check_writable(spec: LayerSpec, fid: int, districts: list[int | None], if_match: str | None,
                    if_match_required: bool) -> None:
    """Lock the feature and check, in this order: it exists (404), it lies where the user may
    edit (403), the client said which version it changes (428) and that version is current (412)."""
    current = feature_etag(spec, fid, lock=True)
    if current is None:
        raise FeatureNotFound(f"item {fid} not found")
    _check_district(districts, f'(SELECT t."{spec.geometry_field}" FROM {spec.table} t WHERE {_own(spec, fid)})',
                    [fid], "the feature")
    if if_match_required and not (if_match or "").strip():
        raise VersionRequired("send If-Match with the ETag you read (or If-Match: * to overwrite whatever is "
                              "there), so that nobody's change is lost silently", {"If-Match": "required"})
    if if_match and if_match.strip() != "*":
        wanted = {t.strip().removeprefix("W/") for t in if_match.split(",")}
        if current not in wanted:
            raise VersionConflict("the feature was changed by someone else since you read it; reload it and "
                                  "apply your change again", {"If-Match": "stale version"})


def _own(spec: LayerSpec, fid: int) -> str:
    return f't."{spec.id_field}" = %s' + (f" AND {spec.where}" if spec.where else "")


def feature_create(*, spec: LayerSpec, user, doc: dict, srid: int = 4326, fixed_id: int | None = None,
                   idempotency_key: str | None = None) -> tuple[int, bool]:
    """Insert one feature: (id, created). `fixed_id` re-creates a deleted feature under its old
    id (restore); a repeated `idempotency_key` returns the feature created the first time."""
    districts = require_edit(user, spec)
    if idempotency_key:
        if len(idempotency_key) > 64:
            raise FeatureInvalid("Idempotency-Key is longer than 64 characters", {"Idempotency-Key": "too long"})
        done = IdempotencyKey.objects.filter(user=user, layer=spec.id, key=idempotency_key).first()
        if done is not None:
            return done.feature_id, False
    clean = clean_feature(spec, doc, srid=srid)
    for f in spec.fields:
        if f.column and f.column not in clean.values and f.default is not None:
            clean.values[f.column] = f.default
    try:
        with transaction.atomic():
            _check_district(districts, "ST_GeomFromWKB(decode(%s, 'hex'), 4326)", [clean.geom_wkb], "the feature")
            cols = list(clean.values) + [spec.geometry_field]
            vals = ["%s"] * len(clean.values) + ["ST_GeomFromWKB(decode(%s, 'hex'), 4326)"]
            params = list(clean.values.values()) + [clean.geom_wkb]
            if spec.touch_column:
                cols.append(spec.touch_column)
                vals.append("now()")
            if fixed_id is not None:
                cols.append(spec.id_field)
                vals.append("%s")
                params.append(fixed_id)
            with connection.cursor() as cur:
                cur.execute(f'INSERT INTO {spec.table} ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in cols)}) '
                            f'VALUES ({", ".join(vals)}) RETURNING "{spec.id_field}"', params)
                fid = cur.fetchone()[0]
            if idempotency_key:  # same transaction: a concurrent resend waits here, then fails
                IdempotencyKey.objects.create(user=user, layer=spec.id, key=idempotency_key, feature_id=fid)
    except IntegrityError:
        done = IdempotencyKey.objects.filter(user=user, layer=spec.id, key=idempotency_key).first()
        if idempotency_key and done is not None:
            return done.feature_id, False
        raise
    return fid, True


def feature_write(*, spec: LayerSpec, user, fid: int, doc: dict, srid: int = 4326, partial: bool,
                  if_match: str | None = None, if_match_required: bool = False) -> None:
    """Replace (PUT) or update (PATCH) one feature; refuses stale versions (and, for API
    clients, writes that do not say which version they change)."""
    districts = require_edit(user, spec)
    clean = clean_feature(spec, doc, srid=srid, partial=partial)
    if not partial:  # a replace sets every own column: missing optional ones get their default
        for f in spec.fields:
            if f.column and f.column not in clean.values:
                clean.values[f.column] = f.default
    with transaction.atomic():
        _check_writable(spec, fid, districts, if_match, if_match_required)
        _check_transition(spec, fid, clean.values)
        if clean.geom_wkb:
            _check_district(districts, "ST_GeomFromWKB(decode(%s, 'hex'), 4326)", [clean.geom_wkb], "the new geometry")
        sets = [f'"{c}" = %s' for c in clean.values]
        params = list(clean.values.values())
        if clean.geom_wkb:
            sets.append(f'"{spec.geometry_field}" = ST_GeomFromWKB(decode(%s, \'hex\'), 4326)')
            params.append(clean.geom_wkb)
        if spec.touch_column:
            sets.append(f'"{spec.touch_column}" = now()')
        if not sets:
            return
        with connection.cursor() as cur:
            cur.execute(f"UPDATE {spec.table} t SET {', '.join(sets)} WHERE {_own(spec, fid)}", [*params, fid])


def _check_transition(spec: LayerSpec, fid: int, values: dict) -> None:
    """A layer whose model declares TRANSITIONS = (field, {state: next states}) follows them."""
    rule = getattr(spec.model, "TRANSITIONS", None) if spec.model else None
    if not rule or rule[0] not in values:
        return
    column, allowed = rule
    with connection.cursor() as cur:
        cur.execute(f'SELECT t."{column}" FROM {spec.table} t WHERE {_own(spec, fid)}', [fid])
        current = cur.fetchone()[0]
    new = values[column]
    if new != current and new not in allowed.get(current, set()):
        nxt = ", ".join(sorted(allowed.get(current, set()))) or "none (final)"
        raise FeatureInvalid(f"{column} cannot go from {current} to {new}; next: {nxt}",
                             {column: f"cannot go from {current} to {new}"})


def feature_delete(*, spec: LayerSpec, user, fid: int, if_match: str | None = None,
                   if_match_required: bool = False) -> None:
    districts = require_edit(user, spec)
    with transaction.atomic():
        _check_writable(spec, fid, districts, if_match, if_match_required)
        with connection.cursor() as cur:
            cur.execute(f"DELETE FROM {spec.table} t WHERE {_own(spec, fid)}", [fid])


def parse_id(raw: str) -> int:
    try:
        fid = int(raw)
    except ValueError:
        raise FeatureNotFound(f"item {raw!r} not found") from None
    if not 0 < fid <= MAX_ID:
        raise FeatureNotFound(f"item {raw!r} not found")
    return fid

