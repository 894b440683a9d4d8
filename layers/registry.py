"""The layer registry: each published layer declared once, everything else derived.

Declared layers are registered at start-up: the administrative units by `layers.catalog`,
each monitoring domain's layers by its module in `operations` (`register_layers`). Layers
imported from users' files come from `ImportedLayer` rows. `all_layers()` merges both and is
cached against a version stamp of the imported layers, so a new import shows up in every
process without a restart.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from django.contrib.gis.db import models as gis_models
from django.core import validators
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import connection, models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from layers.domains import domains
from layers.models import ImportedLayer

Access = Literal["public", "internal", "restricted"]
ACCESS_LEVELS = ("public", "internal", "restricted")
GEOMETRY_TYPES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "Geometry",
)


@dataclass(frozen=True)
class LayerField:
    """One published attribute: JSON-schema type, labels, unit, choices, SQL expression."""

    name: str
    type: Literal["string", "integer", "number", "boolean"]
    title: str
    sql: str
    format: str | None = None  # "date" | "date-time"
    unit: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    filterable: bool = True
    column: str | None = None  # the table's own column; None for computed (read-only) fields
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    default: object = None  # used when a create or replace leaves the attribute out

    def schema(self) -> dict:
        out: dict = {"type": self.type, "title": str(self.title)}
        if self.format:
            out["format"] = self.format
        if self.choices:
            out["enum"] = [c[0] for c in self.choices]
        if self.unit:
            out["x-ogc-unit"] = str(self.unit)
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        if self.max_length:
            out["maxLength"] = self.max_length
        if self.column is None:
            out["readOnly"] = True
        return out


@dataclass(frozen=True)
class Style:
    color: str = "#3388ff"
    fill: str | None = None
    radius: int = 6
    weight: int = 2
    icon: str = ""
    by: str | None = None  # categorise by this property
    palette: tuple[tuple[str, str], ...] = ()  # value -> colour


PERIODS = ("month", "week", "year")


@dataclass(frozen=True)
class TimeMap:
    """How a time-enabled layer is mapped one period at a time: the period length, the numeric
    fields one may map (the first is the default), the field that splits the layer into
    indicators (one picker entry each) and the SQL naming them, and the field holding the admin
    level, so that one level is drawn at once. `dimensions_sql` returns (code, name_vi, name_en,
    unit, warning, critical, higher_is_better): with thresholds, the map is coloured
    red/amber/green by them; without, by quantiles."""

    period: str
    measures: tuple[str, ...]
    dimension: str = ""
    dimensions_sql: str = ""
    level: str = ""


@dataclass(frozen=True)
class LayerSpec:
    id: str
    title_vi: str
    title_en: str
    domain: str
    table: str
    geometry_field: str
    geometry_type: str
    fields: tuple[LayerField, ...]
    id_field: str = "id"
    time_field: str | None = None
    access: Access = "public"
    editable: bool = False
    style: Style = Style()
    min_zoom: int = 0
    cluster: bool = False
    title_field: str | None = None
    description: str = ""
    model: type[models.Model] | None = None
    joins_commune: bool = True
    where: str = ""  # a fixed SQL condition on alias t (e.g. one admin level of a shared table)
    roles: tuple[str, ...] = ()  # groups that may read a restricted layer (administrators always may)
    touch_column: str | None = None  # set to now() on every write
    tile_geometry: str | None = None  # a stored EPSG:3857 copy of the geometry, for vector tiles
    department: str = ""  # the owning department, which supplies the data
    cadence: str = ""  # expected update cadence: daily, weekly, monthly, quarterly, yearly ("" = on change)
    keywords: tuple[str, ...] = field(default=())
    # rows that follow other layers' access (alerts about a restricted layer): given the ids of
    # the layers a user may read, an SQL condition on alias t and its parameters
    row_filter: Callable[[frozenset[str]], tuple[str, list]] | None = None
    time_map: TimeMap | None = None  # drawn one indicator and one period at a time on the maps

    def field(self, name: str) -> LayerField | None:
        return next((f for f in self.fields if f.name == name), None)

    def public_dict(self) -> dict:
        """What the portal needs to draw and label the layer (no features)."""
        return {
            "id": self.id,
            "title": {"vi": self.title_vi, "en": self.title_en},
            "domain": self.domain,
            "geometry_type": self.geometry_type,
            "time_field": self.time_field,
            "access": self.access,
            "min_zoom": self.min_zoom,
            # big polygon layers are drawn from vector tiles (ST_AsMVT) from a middle zoom on
            "tiles": bool(self.min_zoom) and "Polygon" in self.geometry_type,
            "tile_min_zoom": min(self.min_zoom, 12),
            "cluster": self.cluster,
            "title_field": self.title_field,
            "style": {
                "color": self.style.color,
                "fill": self.style.fill or self.style.color,
                "radius": self.style.radius,
                "weight": self.style.weight,
                "by": self.style.by,
                "palette": dict(self.style.palette),
            },
            "fields": [
                {"name": f.name, "title": str(f.title), "unit": str(f.unit),
                 "choices": {k: str(v) for k, v in f.choices}}
                for f in self.fields
            ],
            "time_map": self._time_map_dict(),
        }

    def _time_map_dict(self) -> dict | None:
        tm = self.time_map
        if tm is None:
            return None
        return {"period": tm.period, "dimension": tm.dimension, "level": tm.level,
                "measures": [{"name": m, "title": str(self.field(m).title), "unit": str(self.field(m).unit)}
                             for m in tm.measures]}


# ---------------------------------------------------------------- derivation from models
_INT_FIELDS = (models.IntegerField, models.BigIntegerField, models.SmallIntegerField,
               models.PositiveIntegerField, models.PositiveSmallIntegerField,
               models.PositiveBigIntegerField, models.AutoField, models.BigAutoField)


def _field_type(f: models.Field) -> tuple[str, str | None]:
    if isinstance(f, models.BooleanField):
        return "boolean", None
    if isinstance(f, _INT_FIELDS):
        return "integer", None
    if isinstance(f, (models.FloatField, models.DecimalField)):
        return "number", None
    if isinstance(f, models.DateTimeField):
        return "string", "date-time"
    if isinstance(f, models.DateField):
        return "string", "date"
    return "string", None


def layer_from_model(
    model: type[models.Model],
    *,
    id: str,
    title_vi: str,
    title_en: str,
    domain: str,
    fields: tuple[str, ...] | None = None,
    units: dict[str, str] | None = None,
    geometry_field: str = "geom",
    **kwargs,
) -> LayerSpec:
    """Build a LayerSpec from a GeoDjango model; unknown names raise ImproperlyConfigured."""
    opts = model._meta
    try:
        geom = opts.get_field(geometry_field)
    except FieldDoesNotExist as exc:
        raise ImproperlyConfigured(f"layer {id!r}: {model.__name__} has no field {geometry_field!r}") from exc
    if not isinstance(geom, gis_models.GeometryField):
        raise ImproperlyConfigured(f"layer {id!r}: {geometry_field!r} is not a GeometryField")
    units = units or {}
    names = fields or tuple(
        f.name for f in opts.concrete_fields
        if not f.primary_key and f.name != geometry_field and not f.is_relation
        and f.name != "updated_at"
    )
    out: list[LayerField] = []
    for name in names:
        try:
            f = opts.get_field(name)
        except FieldDoesNotExist as exc:
            raise ImproperlyConfigured(f"layer {id!r}: {model.__name__} has no field {name!r}") from exc
        if isinstance(f, gis_models.GeometryField) or f.is_relation:
            raise ImproperlyConfigured(f"layer {id!r}: field {name!r} cannot be published as an attribute")
        typ, fmt = _field_type(f)
        choices = tuple((str(k), v) for k, v in (f.choices or ()))  # labels stay lazy (translated)
        minimum, maximum = _bounds(f)
        out.append(LayerField(name=name, type=typ, format=fmt, title=f.verbose_name,
                              sql=f't."{f.column}"', unit=units.get(name, ""), choices=choices,
                              column=f.column, required=not (f.null or f.blank or f.has_default()),
                              default=f.get_default() if f.has_default() else ("" if not f.null and typ == "string" else None),
                              minimum=minimum, maximum=maximum,
                              max_length=getattr(f, "max_length", None) if typ == "string" and not fmt else None))
    for extra in units:
        if extra not in names:
            raise ImproperlyConfigured(f"layer {id!r}: unit given for unknown field {extra!r}")
    has_commune = any(f.name == "commune" for f in opts.concrete_fields)
    if has_commune:
        out.append(LayerField(name="commune", type="string", title=_("xã/phường"), sql="c.name"))
    return LayerSpec(
        id=id, title_vi=title_vi, title_en=title_en, domain=domain, table=opts.db_table,
        geometry_field=geom.column,
        geometry_type={t.upper(): t for t in GEOMETRY_TYPES}[geom.geom_type],
        fields=tuple(out), model=model, joins_commune=has_commune,
        touch_column="updated_at" if any(f.name == "updated_at" for f in opts.concrete_fields) else None,
        **kwargs,
    )


def _bounds(f: models.Field) -> tuple[float | None, float | None]:
    low = 0 if isinstance(f, (models.PositiveIntegerField, models.PositiveSmallIntegerField,
                              models.PositiveBigIntegerField)) else None
    high = None
    for v in f.validators:
        if isinstance(v, validators.MinValueValidator):
            low = v.limit_value if low is None else max(low, v.limit_value)
        elif isinstance(v, validators.MaxValueValidator):
            high = v.limit_value
    return low, high


def layer_from_view(*, id: str, title_vi: str, title_en: str, domain: str, table: str, geometry_type: str,
                    fields: tuple[tuple, ...], choices: dict[str, tuple] | None = None, **kwargs) -> LayerSpec:
    """A read-only layer over an SQL view; fields are (name, type, title[, unit[, format]]);
    `choices` names the labels of coded fields (e.g. a model's TextChoices.choices), so that no
    page shows a raw code."""
    out = []
    for f in fields:
        name, typ, title = f[0], f[1], f[2]
        unit = f[3] if len(f) > 3 else ""
        fmt = f[4] if len(f) > 4 else None
        labels = tuple((str(k), v) for k, v in (choices or {}).get(name, ()))
        out.append(LayerField(name=name, type=typ, format=fmt, title=title, unit=unit, sql=f't."{name}"',
                              choices=labels))
    joins = kwargs.pop("joins_commune", False)
    if joins:
        out.append(LayerField(name="commune", type="string", title=_("xã/phường"), sql="c.name"))
    return LayerSpec(id=id, title_vi=title_vi, title_en=title_en, domain=domain, table=table,
                     geometry_field="geom", geometry_type=geometry_type, fields=tuple(out),
                     joins_commune=joins, **kwargs)


# ---------------------------------------------------------------- validation
def validate_spec(spec: LayerSpec) -> list[str]:
    """Problems with one declaration, as sentences (empty when it is sound)."""
    problems = []
    if spec.id != slugify(spec.id) or not spec.id:
        problems.append(f"layer id {spec.id!r} is not a slug (lower-case letters, digits, '-')")
    if spec.domain not in domains():
        problems.append(f"layer {spec.id!r}: unknown domain {spec.domain!r} (one of {', '.join(domains())})")
    if spec.access not in ACCESS_LEVELS:
        problems.append(f"layer {spec.id!r}: access must be one of {ACCESS_LEVELS}, not {spec.access!r}")
    if spec.geometry_type not in GEOMETRY_TYPES:
        problems.append(f"layer {spec.id!r}: unknown geometry type {spec.geometry_type!r}")
    if not spec.title_vi or not spec.title_en:
        problems.append(f"layer {spec.id!r}: needs both a Vietnamese and an English title")
    names = [f.name for f in spec.fields]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        problems.append(f"layer {spec.id!r}: duplicate fields {sorted(dupes)}")
    if spec.time_field:
        tf = spec.field(spec.time_field)
        if tf is None or tf.format not in ("date", "date-time"):
            problems.append(f"layer {spec.id!r}: time field {spec.time_field!r} is not a date/time field")
    if spec.title_field and spec.field(spec.title_field) is None:
        problems.append(f"layer {spec.id!r}: title field {spec.title_field!r} is not a field")
    if spec.style.by and spec.field(spec.style.by) is None:
        problems.append(f"layer {spec.id!r}: style property {spec.style.by!r} is not a field")
    if spec.cadence and spec.cadence not in ("daily", "weekly", "monthly", "quarterly", "yearly"):
        problems.append(f"layer {spec.id!r}: unknown cadence {spec.cadence!r}")
    if spec.cadence and not spec.time_field:
        problems.append(f"layer {spec.id!r}: a cadence needs a time field to check it against")
    if spec.roles and spec.access != "restricted":
        problems.append(f"layer {spec.id!r}: roles only apply to restricted layers")
    return problems + _time_map_problems(spec)


def _time_map_problems(spec: LayerSpec) -> list[str]:
    tm = spec.time_map
    if tm is None:
        return []
    problems = []
    if not spec.time_field:
        problems.append(f"layer {spec.id!r}: a time map needs a time field")
    if tm.period not in PERIODS:
        problems.append(f"layer {spec.id!r}: time map period must be one of {PERIODS}, not {tm.period!r}")
    if not tm.measures:
        problems.append(f"layer {spec.id!r}: a time map needs at least one measure")
    for name in (*tm.measures, tm.dimension, tm.level):
        if name and spec.field(name) is None:
            problems.append(f"layer {spec.id!r}: time map field {name!r} is not a field")
    for name in tm.measures:
        f = spec.field(name)
        if f is not None and f.type not in ("integer", "number"):
            problems.append(f"layer {spec.id!r}: time map measure {name!r} is not numeric")
    if tm.dimensions_sql and not tm.dimension:
        problems.append(f"layer {spec.id!r}: time map dimensions_sql needs a dimension field")
    return problems


def validate(specs: list[LayerSpec]) -> list[str]:
    problems = [p for s in specs for p in validate_spec(s)]
    ids = [s.id for s in specs]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"layer id {dup!r} is declared more than once")
    return problems


_declared: list[LayerSpec] = []


def register_layers(specs) -> None:
    """Add declared layers (at start-up, from an AppConfig.ready); a bad or duplicate
    declaration raises ImproperlyConfigured, so it stops start-up."""
    specs = list(specs)
    problems = validate(_declared + specs)
    if problems:
        raise ImproperlyConfigured("Bad layer declarations: " + "; ".join(problems))
    _declared.extend(specs)
    invalidate()


def static_layers() -> list[LayerSpec]:
    """Every declared (not imported) layer, in the order of registration."""
    return list(_declared)


def validate_static() -> None:
    problems = validate(static_layers())
    if problems:
        raise ImproperlyConfigured("Bad layer declarations: " + "; ".join(problems))


# ---------------------------------------------------------------- imported layers + cache
def _imported_version() -> tuple:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*), max(updated_at) FROM layers_importedlayer")
        return tuple(cur.fetchone())


def _imported_specs() -> list[LayerSpec]:
    return [spec_for_imported(r) for r in ImportedLayer.objects.all()]


_TYPE_FOR_IMPORTED = {
    "integer": ("integer", None),
    "number": ("number", None),
    "boolean": ("boolean", None),
    "date": ("string", "date"),
    "datetime": ("string", "date-time"),
    "string": ("string", None),
}


def spec_for_imported(rec) -> LayerSpec:
    flds = []
    for f in rec.fields:
        typ, fmt = _TYPE_FOR_IMPORTED.get(f["type"], ("string", None))
        flds.append(LayerField(name=f["name"], type=typ, format=fmt, title=f.get("title", f["name"]),
                               sql=f't."{f["name"]}"', column=f["name"]))
    flds.append(LayerField(name="commune", type="string", title=_("xã/phường"), sql="c.name"))
    return LayerSpec(
        id=rec.slug, title_vi=rec.title_vi, title_en=rec.title_en or rec.title_vi,
        domain=rec.domain if rec.domain in domains() else "other",
        table=f'imported."{rec.table_name}"', geometry_field="geom",
        geometry_type=rec.geometry_type, fields=tuple(flds), access=rec.access,
        time_field=rec.time_field or None, style=Style(color="#8e44ad"),
        min_zoom=12 if rec.feature_count > 20000 else 0,
        cluster=rec.geometry_type == "Point" and rec.feature_count > 500,
        description=f"Imported from {rec.source}",
    )


class _Cache:
    lock = threading.Lock()
    checked_at = 0.0
    version: tuple | None = None
    layers: tuple[LayerSpec, ...] = ()


VERSION_CHECK_SECONDS = 2.0


def all_layers() -> tuple[LayerSpec, ...]:
    """Static + imported layers; the DB stamp is re-read at most every 2 s."""
    now = time.monotonic()
    with _Cache.lock:
        if now - _Cache.checked_at < VERSION_CHECK_SECONDS and _Cache.version is not None:
            return _Cache.layers
        version = _imported_version()
        if version != _Cache.version:
            static = static_layers()
            static_ids = {s.id for s in static}
            _Cache.layers = tuple(static + [s for s in _imported_specs() if s.id not in static_ids])
            _Cache.version = version
        _Cache.checked_at = now
        return _Cache.layers


def registry_version() -> tuple:
    all_layers()
    return _Cache.version or ()


def invalidate() -> None:
    with _Cache.lock:
        _Cache.version = None
        _Cache.checked_at = 0.0


def get_layer(layer_id: str) -> LayerSpec | None:
    return next((s for s in all_layers() if s.id == layer_id), None)
