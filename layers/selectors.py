"""What pages need to know about the layers a user may see (no features: those come from /ogc)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gis_server.db import read_connection
from layers.access import editing_districts, visible_layers
from layers.domains import domains
from layers.registry import LayerSpec


def layer_catalogue(*, user, lang: str) -> dict:
    """The portal's layer list: each layer's drawing and labelling info, grouped by domain."""
    layers = [s.public_dict() for s in visible_layers(user)]
    groups = []
    for dom, (vi, en) in domains().items():
        members = [lyr["id"] for lyr in layers if lyr["domain"] == dom]
        if members:
            groups.append({"id": dom, "title": en if lang == "en" else vi, "layers": members})
    return {"layers": layers, "groups": groups}


def editable_layer_forms(*, user) -> list[dict]:
    """The layers this user may edit, each with its form (the writable fields and their rules)."""
    out = []
    for spec in visible_layers(user):
        if editing_districts(user, spec) is None:
            continue
        d = spec.public_dict()
        d["form"] = [
            {"name": f.name, "title": str(f.title), "type": f.type, "format": f.format, "unit": str(f.unit),
             "required": f.required, "choices": [[k, str(v)] for k, v in f.choices], "min": f.minimum,
             "max": f.maximum, "max_length": f.max_length}
            for f in spec.fields if f.column
        ]
        out.append(d)
    return out


LEVEL_NAMES = {"province": _("Tỉnh"), "district": _("Cấp huyện"), "commune": _("Cấp xã")}


def _period_end(start: date, period: str) -> date:
    if period == "week":
        return start + timedelta(days=7)
    if period == "year":
        return start.replace(year=start.year + 1)
    y, m = divmod(start.year * 12 + start.month, 12)  # the first day of the next month
    return date(y, m + 1, 1)


def layer_time_dimensions(*, spec: LayerSpec, lang: str, today: date | None = None) -> dict:
    """What a time map offers for a layer: its indicators (with names, units and thresholds) and,
    for each, the periods that hold data and the default one (the latest complete period)."""
    tm = spec.time_map
    today = today or timezone.localdate()
    dim = f't."{tm.dimension}"' if tm.dimension else "NULL"
    where = f"WHERE {spec.where}" if spec.where else ""
    with read_connection().cursor() as cur:
        cur.execute(f'SELECT {dim}::text, t."{spec.time_field}"::date FROM {spec.table} t {where} '
                    f"GROUP BY 1, 2 ORDER BY 1, 2")
        periods: dict[str | None, list[date]] = {}
        for code, p in cur.fetchall():
            periods.setdefault(code, []).append(p)
        named = {}
        if tm.dimensions_sql:
            cur.execute(tm.dimensions_sql)
            named = {r[0]: r for r in cur.fetchall()}
        levels = []
        if tm.level:
            cur.execute(f'SELECT DISTINCT t."{tm.level}" FROM {spec.table} t {where}')
            levels = [r[0] for r in cur.fetchall()]
    order = list(named) + sorted(c for c in periods if c not in named and c is not None)
    out = []
    for code in order if tm.dimension else [None]:
        ps = periods.get(code, [])
        if not ps:
            continue
        complete = [p for p in ps if _period_end(p, tm.period) <= today]
        row = named.get(code)
        out.append({
            "code": code, "name": (row[2] if lang == "en" else row[1]) if row else code,
            "unit": row[3] if row else "", "warning": row[4] if row else None, "critical": row[5] if row else None,
            "higher_is_better": row[6] if row else True,
            "periods": [p.isoformat() for p in ps], "partial": [p.isoformat() for p in ps if p not in complete],
            "default": (complete or ps)[-1].isoformat(),
        })
    ranked = [lv for lv in ("district", "commune", "province") if lv in levels]
    return {"layer": spec.id, "period": tm.period, "dimension": tm.dimension, "level": tm.level,
            "levels": [{"code": lv, "name": str(LEVEL_NAMES.get(lv, lv))} for lv in ranked],
            "measures": spec.public_dict()["time_map"]["measures"], "dimensions": out}
