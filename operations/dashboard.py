"""Dashboard selectors: one card per domain (every key figure with its unit and period, the change
against a comparable period, red/amber/green made graver by the domain's open alerts, the state in
words), and per domain a monthly series, a ranking of units (worst first, each row a link down)
and, per unit, the records behind the figures. Computing one domain computes only that domain.
Numbers are formatted here for the page's language (217.931 and 92,8 % in Vietnamese)."""

from __future__ import annotations

from datetime import date, datetime

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import formats, numberformat, timezone
from django.utils.translation import gettext_lazy as _

from gis_server.context import page_language
from gis_server.db import read_connection, replica_reads
from layers.models import AdminUnit
from operations.alerts import open_shown_alerts
from operations.domain import Card, Domain, Figure, RecordsDef, worse
from operations.domains import DOMAINS, get_domain

MAX_MONTHS = 24
RECORDS_SHOWN = 200  # rows of a drill-down table (the total is given beside them)
FILTER_NAMES = ("f_unit", "f_unit_d", "f_unit_u", "f_commune", "f_commune_w", "f_commune_s",
                "f_district_c", "f_district_m")
CACHE_SECONDS = 30  # figures, series and rankings are at most this old (per process); alerts are read fresh
STATE_WORDS = {"green": _("Tốt"), "amber": _("Cần chú ý"), "red": _("Nghiêm trọng"), "grey": _("Chưa có số liệu")}


# ------------------------------------------------------------------------------ formatting
def number_text(value, digits: int = 1) -> str:
    """A number in the page's language: 217.931 and 92,8 (Vietnamese), 217,931 and 92.8 (English)."""
    if value is None:
        return "–"
    v = float(value)
    places = 0 if v.is_integer() or abs(v) >= 1000 else digits
    # Django's locales leave NUMBER_GROUPING at 0: group by thousands here, with the locale's separators
    return numberformat.format(round(v, places), formats.get_format("DECIMAL_SEPARATOR"), places, 3,
                               formats.get_format("THOUSAND_SEPARATOR"), force_grouping=True)


def short_number_text(value) -> str:
    """A value as entered, for reading: up to two decimals whatever its size, no trailing zeros
    ("92,8", "1.234,5", "1.250.000")."""
    if value is None:
        return "–"
    v = float(value)
    places = 0 if v.is_integer() else 2
    sep = formats.get_format("DECIMAL_SEPARATOR")
    text = numberformat.format(round(v, places), sep, places, 3, formats.get_format("THOUSAND_SEPARATOR"),
                               force_grouping=True)
    return text.rstrip("0").rstrip(sep) if places else text


def quantity_text(value, unit: str, digits: int = 1) -> tuple[str, str]:
    """(number, unit) as shown; a percentage carries its sign: "92,8 %" (vi), "92.8%" (en)."""
    n = number_text(value, digits)
    if unit == "%" and value is not None:
        return (f"{n}%" if page_language() == "en" else f"{n}\u00a0%"), ""
    return n, str(unit)


def change_text(change: float | None) -> str:
    """A signed change in percent: "+12,5 %", "−3 %"."""
    if change is None:
        return ""
    n, _u = quantity_text(abs(change), "%")
    return ("+" if change > 0 else "−" if change < 0 else "±") + n


def _cell(value, kind: str, choices: dict) -> str:
    if value is None or value == "":
        return "–"
    if choices:
        return str(choices.get(value, value))
    if kind == "number":
        return number_text(value)
    if kind == "state":
        return str(STATE_WORDS.get(value, value))
    if kind == "datetime" and isinstance(value, datetime):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if kind == "month" and isinstance(value, date):
        return f"{value:%m/%Y}"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _cached(key: str, compute):
    """A dashboard aggregate computed at most every CACHE_SECONDS (the overview sums eleven domains'
    aggregates over months of data: recomputing them on every refresh of every screen is waste)."""
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHE_SECONDS)
    return found


# ------------------------------------------------------------------------------ cards
def visible_card_layers(domain: Domain, readable: set[str]) -> list[str]:
    return [lyr for lyr in domain.card_layers if lyr in readable]


def readable_domain(*, domain_id: str, readable: set[str]) -> Domain | None:
    """The domain if it exists and the user may read at least one of its card's layers."""
    d = get_domain(domain_id)
    return d if d is not None and visible_card_layers(d, readable) else None


def open_alert_counts(*, readable: set[str], unit: int | None = None) -> dict[str, dict[str, int]]:
    """Per domain, the open alerts by severity that the reader may see (the visibility rule of
    operations.alerts: no data-supply alert about a layer they may not read); for a unit, those
    about it, its communes, or no unit at all (province-wide). Snoozed alerts do not count."""
    qs = open_shown_alerts(readable=readable)
    if unit is not None:
        qs = qs.filter(Q(unit_id=unit) | Q(unit__parent_id=unit) | Q(unit__isnull=True))
    out: dict[str, dict[str, int]] = {}
    for domain, severity, n in qs.values_list("domain", "severity").annotate(n=Count("id")).order_by():
        out.setdefault(domain, {})[severity] = n
    return out


def _format_figure(f: Figure) -> Figure:
    f.text, f.unit = quantity_text(f.value, f.unit)
    f.change_text = change_text(f.change_pct)
    f.state_label = str(STATE_WORDS.get(f.state, "")) if f.state else ""
    return f


def _card(domain: Domain, lang: str, readable: set[str], unit: int | None, alerts: dict[str, int],
          url: str) -> Card:
    c = _cached(f"ioc:card:{domain.id}:{unit}:{lang}:{timezone.localdate()}", lambda: domain.card(unit))
    critical, warning = alerts.get("critical", 0), alerts.get("warning", 0)
    state = c.state
    if critical:
        state = worse(state, "red")
    elif warning:
        state = worse(state, "amber")
    return Card(domain.id, domain.title(lang), [_format_figure(f) for f in c.figures], c.change_pct, c.change_vs,
                state, visible_card_layers(domain, readable), str(STATE_WORDS[state]), critical, warning, url,
                change_text(c.change_pct))


def _card_url(domain: Domain, district_code: str | None) -> str:
    return f"/dashboard/{domain.id}/" + (f"?district={district_code}" if district_code else "")


def domain_card(*, domain: Domain, lang: str, readable: set[str], district: int | None = None,
                district_code: str | None = None) -> Card:
    """One domain's card, for the province or one unit (a district, or a commune)."""
    alerts = open_alert_counts(readable=readable, unit=district).get(domain.id, {})
    return _card(domain, lang, readable, district, alerts, _card_url(domain, district_code))


def domain_cards(*, lang: str, readable: set[str], district: int | None = None,
                 district_code: str | None = None) -> list[Card]:
    """The overview: one card per domain whose layers the user may read."""
    alerts = open_alert_counts(readable=readable, unit=district)
    return [_card(d, lang, readable, district, alerts.get(d.id, {}), _card_url(d, district_code))
            for d in DOMAINS if visible_card_layers(d, readable)]


# ------------------------------------------------------------------------------ series and ranking
def _filters(district: int | None) -> dict:
    """The placeholders of series and rankings, all bound to the same district."""
    if district is None:
        return dict.fromkeys(FILTER_NAMES, "")
    sub = "(SELECT id FROM layers_adminunit WHERE id = %(d)s OR parent_id = %(d)s)"
    return {
        "f_unit": f"AND v.unit_id IN {sub}", "f_unit_d": f"AND d.unit_id IN {sub}", "f_unit_u": f"AND u.id IN {sub}",
        "f_commune": f"AND t.commune_id IN {sub}", "f_commune_w": f"AND w.commune_id IN {sub}",
        "f_commune_s": f"AND s.commune_id IN {sub}", "f_district_c": "AND c.district_id = %(d)s",
        "f_district_m": "AND m.district_id = %(d)s",
    }


def _run(sql: str, district: int | None) -> list[tuple]:
    with read_connection().cursor() as cur:
        cur.execute(sql.format(**_filters(district)), {"d": district} if district else None)
        return cur.fetchall()


def _unit_series(sql: str, district: int) -> list[tuple]:
    with read_connection().cursor() as cur:
        cur.execute(sql, {"d": district})
        return cur.fetchall()


def domain_series(*, domain: Domain, district: int | None = None, months: int = MAX_MONTHS) -> dict:
    """The domain's series over the last `months` (school years: the last years); the current
    month, not over yet, is marked partial (drawn apart, never as a collapse)."""
    s = domain.series
    if district is not None and s.unit_sql:
        found = _cached(f"ioc:series:{domain.id}:{district}", lambda: _unit_series(s.unit_sql, district))
    else:
        found = _cached(f"ioc:series:{domain.id}:{district}", lambda: _run(s.sql, district))
    found = found[-months:] if s.period == "month" else found
    this_month = timezone.localdate().replace(day=1)
    points = []
    for d, v in found:
        partial = s.period == "month" and (d.year, d.month) == (this_month.year, this_month.month)
        label = f"{d.year}-{d.year + 1}" if s.period == "year" else f"{d:%m/%Y}"
        value = float(v) if v is not None else None
        points.append({"period": f"{d:%Y-%m}", "label": label, "value": value, "text": number_text(value),
                       "partial": partial})
    note = ""
    if points and points[-1]["partial"]:
        note = str(_("Tháng %(month)s chưa kết thúc: số liệu mới một phần tháng, vẽ riêng (điểm rỗng), không nối vào đường.")
                   % {"month": points[-1]["label"]})
    return {"label": str(s.label), "unit": str(s.unit), "period": s.period, "points": points, "partial_note": note}


def domain_ranking(*, domain: Domain, district: int | None = None) -> dict:
    r = domain.ranking
    found = _cached(f"ioc:ranking:{domain.id}:{district}", lambda: _run(r.sql, district))
    return {"label": str(r.label), "unit": str(r.unit), "drill_url": r.drill_url,
            "rows": [{"id": i, "code": c, "name": n, "value": float(v) if v is not None else None,
                      "text": quantity_text(v, str(r.unit))[0],
                      "url": r.drill_url.format(code=c, id=i) if r.drill_url and (c or "{code}" not in r.drill_url)
                      else ""}
                     for i, c, n, v in found]}


# ------------------------------------------------------------------------------ units and records
def district_id(code: str | None) -> int | None:
    """The id of a district by its code (None for the whole province); LookupError if unknown."""
    if not code:
        return None
    with replica_reads():
        unit = AdminUnit.objects.filter(code=code, level="district").first()
    if unit is None:
        raise LookupError(f"no district {code!r}")
    return unit.id


def districts() -> list[AdminUnit]:
    """The districts for the filter (read-only: may come from a replica)."""
    with replica_reads():
        return list(AdminUnit.objects.filter(level="district").order_by("name"))


def unit_by_code(*, code: str, domain: Domain) -> AdminUnit:
    """A district or commune the domain can be followed down to; LookupError otherwise."""
    levels = [lv for lv in ("district", "commune") if lv in domain.drill_down]
    with replica_reads():
        unit = AdminUnit.objects.select_related("parent").filter(code=code, level__in=levels).first()
    if unit is None:
        raise LookupError(f"no unit {code!r} in {domain.id}")
    return unit


def _records(r: RecordsDef, unit: AdminUnit, readable: set[str], limit: int) -> dict:
    with read_connection().cursor() as cur:
        cur.execute(r.sql, {"u": unit.id, "n": limit, "lang": page_language()})
        found = cur.fetchall()
    choices = [dict(c.choices) for c in r.columns]
    on_map = r.layer in readable
    rows = [{"cells": [_cell(v, c.kind, ch) for v, c, ch in zip(row[2:], r.columns, choices, strict=True)],
             "map_url": f"/?layer={r.layer}&feature={row[1]}" if on_map and row[1] is not None else ""}
            for row in found]
    total = found[0][0] if found else 0
    return {"title": str(r.title), "layer": r.layer, "total": total, "shown": len(rows),
            "total_text": number_text(total), "shown_text": number_text(len(rows)),
            "columns": [{"label": str(c.label), "unit": str(c.unit), "num": c.kind == "number"} for c in r.columns],
            "num_cols": [i for i, c in enumerate(r.columns) if c.kind == "number"], "rows": rows}


def domain_records(*, domain: Domain, unit: AdminUnit, readable: set[str], limit: int = RECORDS_SHOWN) -> list[dict]:
    """The features or records behind the domain's figures in one unit: the first `limit` of
    each table, best sorted first, the total count, and each row's link to the map."""
    return [_records(r, unit, readable, limit) for r in domain.records]
