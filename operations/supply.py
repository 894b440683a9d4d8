"""Data supply: per department, is each data set, layer and indicator current, late or
incomplete? Data sets are judged from what was submitted (operations.intake.completeness);
layers and indicators no data set feeds, by the age of their latest data. Late or incomplete
sources raise alerts of their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gis_server.context import page_language
from layers.models import Department, IntakeLog
from layers.registry import all_layers, get_layer
from operations.domain import Firing, rows
from operations.intake.catalogue import all_datasets, get_dataset, layers_fed
from operations.intake.completeness import dataset_stats, dataset_supply, due_date, missing_units
from operations.intake.periods import period_label, periods_back

# how old the latest data may be (for periods: how old the latest period's start may be)
STATE_LABELS = {"current": _("Đúng hạn"), "late": _("Chậm cập nhật"), "incomplete": _("Chưa đầy đủ")}
CADENCE_LABELS = {"daily": _("Hằng ngày"), "weekly": _("Hằng tuần"), "monthly": _("Hằng tháng"),
                  "quarterly": _("Hằng quý"), "school_year": _("Theo năm học"), "yearly": _("Hằng năm")}
MAX_AGE = {"daily": timedelta(days=2), "weekly": timedelta(days=14), "monthly": timedelta(days=62),
           "quarterly": timedelta(days=135), "yearly": timedelta(days=400)}
FALLBACK_DOMAIN = "socioeconomic"  # indicators are not layers: their alerts go to this domain


@dataclass
class Source:
    id: str
    title: str
    department: str
    cadence: str
    latest: date | None
    state: str  # current / late / incomplete
    detail: str
    completeness: float | None = None  # data sets: % of units complete in the latest due period
    timeliness: float | None = None  # ... and on time
    dataset: str = ""  # the data set's code (its page lists the missing units and elements)
    latest_label: str = ""  # data sets: the latest period sent, in words ("tháng 11/2026")

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS.get(self.state, self.state))

    @property
    def cadence_label(self) -> str:
        return str(CADENCE_LABELS.get(self.cadence, self.cadence))


def _as_date(v) -> date | None:
    if v is None:
        return None
    return v.date() if isinstance(v, datetime) else v


def _dataset_sources(today: date, readable: set[str] | None) -> list[Source]:
    en = page_language() == "en"
    names = {c: (n_en or n) if en else n for c, n, n_en in Department.objects.values_list("code", "name", "name_en")}
    out = []
    for ds in all_datasets():
        if readable is not None and ds.layers and not set(ds.layers) & readable:
            continue
        sup = dataset_supply(ds, today)
        out.append(Source(f"dataset:{ds.code}", ds.title("en" if en else "vi"), names.get(ds.department, ds.department),
                          ds.period_type, sup.latest, sup.state, sup.detail, sup.stat.completeness,
                          sup.stat.timeliness, ds.code,
                          period_label(ds.period_type, sup.latest) if sup.latest else ""))
    return out


def _layer_sources(today: date, readable: set[str] | None) -> list[Source]:
    out = []
    fed = layers_fed()
    for spec in all_layers():
        if not spec.cadence or spec.id in fed or (readable is not None and spec.id not in readable):
            continue
        f = spec.field(spec.time_field)
        with connection.cursor() as cur:
            cur.execute(f"SELECT max({f.sql}) FROM {spec.table} t")
            latest = _as_date(cur.fetchone()[0])
        late = latest is None or today - latest > MAX_AGE[spec.cadence]
        out.append(Source(spec.id, spec.title_en if page_language() == "en" else spec.title_vi, spec.department, spec.cadence, latest,
                          "late" if late else "current",
                          str(_("chưa có dữ liệu")) if latest is None else ""))
    return out


def _indicator_sources(today: date) -> list[Source]:
    """Indicators no data set supplies (an indicator added to the catalogue before its data set)."""
    fed = {e.code for ds in all_datasets() for e in ds.elements
           if e.sink is not None and e.sink.table == "layers_indicatorvalue"}
    out = []
    with connection.cursor() as cur:
        cur.execute("""
            WITH expected AS (SELECT count(*) AS n FROM layers_adminunit WHERE level IN ('district', 'commune'))
            SELECT i.code, i.name_vi, i.department, i.period_type, v.latest,
                   (SELECT count(*) FROM layers_indicatorvalue w WHERE w.indicator_id = i.id AND w.period = v.latest),
                   expected.n
              FROM layers_indicator i CROSS JOIN expected
              LEFT JOIN LATERAL (SELECT max(period) AS latest FROM layers_indicatorvalue WHERE indicator_id = i.id) v ON true
             ORDER BY i.department, i.code""")
        for code, name, dept, period, latest, have, expected in cur.fetchall():
            if code in fed:
                continue
            late = latest is None or today - latest > MAX_AGE[period]
            incomplete = not late and have < expected
            out.append(Source(f"indicator:{code}", name, dept, period, latest,
                              "late" if late else "incomplete" if incomplete else "current",
                              _("%(have)s/%(expected)s đơn vị, kỳ %(period)s") % {
                                  "have": have, "expected": expected, "period": f"{latest:%m/%Y}"}
                              if latest else str(_("chưa có dữ liệu"))))
    return out


def sources(*, readable: set[str] | None = None) -> list[Source]:
    """Every source (layers with a cadence, indicators); with `readable`, only the layers in it
    (a user never learns from the board that a layer they may not read exists)."""
    today = timezone.localdate()
    found = _dataset_sources(today, readable) + _layer_sources(today, readable) + _indicator_sources(today)
    return sorted(found, key=lambda s: (s.department, s.id))


def by_department(*, readable: set[str]) -> list[tuple[str, list[Source]]]:
    groups: dict[str, list[Source]] = {}
    for s in sources(readable=readable):
        groups.setdefault(s.department or "—", []).append(s)
    return sorted(groups.items())


def data_supply_late() -> list[Firing]:
    """A layer or indicator whose department is late with its data, or has sent it incomplete."""
    out = []
    province = rows("SELECT id, ST_AsText(ST_PointOnSurface(geom)) FROM layers_adminunit WHERE level = 'province'")
    lat, lon = settings.IOC_PROVINCE.centre  # without admin units, the alert sits at the province's centre
    pid, wkt = province[0] if province else (None, f"POINT({lon} {lat})")
    for src in sources():
        if src.state == "current":
            continue
        spec = get_layer(src.id)
        domain = spec.domain if spec else get_dataset(src.dataset).domain if src.dataset else FALLBACK_DOMAIN
        verb = "chậm cập nhật" if src.state == "late" else "chưa đầy đủ"
        out.append(Firing(f"data_supply:{src.id}", "data_supply", domain, "warning",
                          f"{src.department}: {src.title} {verb} ({src.detail})", 0, 0, pid, wkt))
    return out


@dataclass
class DatasetDetail:
    """One data set on the supply board: the latest due period's missing units and elements
    (since when), the last periods' completeness and timeliness, and the latest attempts."""

    dataset: object
    department: str
    supply: object
    missing: list
    periods: list  # (label, due, expected, complete, on time, completeness text, timeliness text)
    attempts: list

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.supply.state])

    @property
    def title(self) -> str:
        return self.dataset.title(page_language())


def dataset_detail(code: str) -> DatasetDetail:
    ds = get_dataset(code)
    sup = dataset_supply(ds)
    stats = dataset_stats(ds, periods_back(ds.period_type, sup.period, 12))

    from operations.dashboard import quantity_text  # dashboard → alerts → supply: imported when used

    def pct(v):
        return "–" if v is None else quantity_text(v, "%")[0]

    periods = [(period_label(ds.period_type, s.period), due_date(ds, s.period), s.expected, s.complete, s.on_time,
                pct(s.completeness), pct(s.timeliness)) for s in reversed(stats)]
    names = Department.objects.filter(code=ds.department).values_list("name", "name_en").first()
    dept = ((names[1] or names[0]) if page_language() == "en" else names[0]) if names else ds.department
    attempts = list(IntakeLog.objects.filter(dataset=ds.code).select_related("user").order_by("-created_at")[:10])
    return DatasetDetail(ds, dept, sup, missing_units(ds, sup.period), periods, attempts)
