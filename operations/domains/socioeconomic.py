"""Socio-economic indicators per district and commune over time (choropleth), budget revenue
against plan on the card, and an alert when a district's indicator enters its red zone."""

from django.utils.translation import gettext_lazy as _

from gis_server.context import page_language
from layers.models import AdminUnit
from layers.registry import Style, TimeMap, layer_from_view
from operations.domain import (
    UNIT_IDS,
    CardFigures,
    Column,
    Domain,
    Figure,
    Firing,
    RankingDef,
    RecordsDef,
    SeriesDef,
    indicator_state,
    month_period,
    pct_change,
    read_rows,
    rows,
    worse,
)
from operations.intake.spec import DataSet, Element, OrgUnits, indicator_sink

HEADLINE_INDICATOR = "budget_revenue_pct"  # first on the card, on the chart and in the ranking
SHOWN_DIGITS = 1  # indicator values are shown, and judged against their thresholds, to one decimal
# The card judges each indicator by its own thresholds (layers_indicator.warning/critical); these are
# budget revenue's, which tests/unit/test_domains.py still checks.

LAYERS = (
    layer_from_view(
        id="socioeconomic-indicators", choices={"level": AdminUnit.Level.choices}, title_vi="Chỉ tiêu kinh tế - xã hội theo đơn vị",
        department="Cục Thống kê", cadence="monthly",
        title_en="Socio-economic indicators by unit", domain="socioeconomic", table="ioc_indicator_values",
        geometry_type="MultiPolygon", time_field="period", title_field="unit_name", min_zoom=0,
        fields=(("indicator", "string", _("mã chỉ tiêu")), ("indicator_name", "string", _("chỉ tiêu")),
                ("measure_unit", "string", _("đơn vị tính")), ("unit_code", "string", _("mã đơn vị")),
                ("unit_name", "string", _("đơn vị")), ("level", "string", _("cấp")),
                ("period", "string", _("kỳ báo cáo"), "", "date"), ("value", "number", _("giá trị")),
                ("plan", "number", _("kế hoạch")), ("pct_of_plan", "number", _("so với kế hoạch"), "%")),
        style=Style(color="#2c5282", fill="#4299e1", weight=1),
        time_map=TimeMap(period="month", measures=("value", "pct_of_plan"), dimension="indicator", level="level",
                         dimensions_sql="SELECT code, name_vi, name_en, unit, warning, critical, higher_is_better "
                                        "FROM layers_indicator ORDER BY id"),
    ),
    # a choropleth from the population raster's zonal statistics
    layer_from_view(
        id="population-by-commune", title_vi="Dân số theo xã (từ ảnh dân số)",
        title_en="Population per commune (from the raster)",
        domain="socioeconomic", table="ioc_population_by_commune", geometry_type="MultiPolygon",
        title_field="unit_name",
        fields=(("unit_code", "string", _("mã xã")), ("unit_name", "string", _("xã/phường")),
                ("population", "integer", _("dân số"), _("người")),
                ("density_km2", "number", _("mật độ"), _("người/km²"))),
        style=Style(color="#553c9a", fill="#b794f4", weight=1),
    ),
)


PERIOD_KINDS = {"monthly": "month", "quarterly": "quarter", "yearly": "year"}


def _period(kind: str, p) -> tuple[str, bool]:
    if p is None:
        return "–", False
    if kind == "quarterly":
        return str(_("quý %(q)s/%(y)s") % {"q": (p.month - 1) // 3 + 1, "y": p.year}), False
    if kind == "yearly":
        return str(_("năm %(y)s") % {"y": p.year}), False
    return month_period(p)


def card(district: int | None) -> CardFigures:
    """Every indicator at its latest period, each with the state from its own thresholds: the
    unit's own value, or the average of the districts for the province."""
    where, p = ("v.unit_id = %s", [district]) if district else ("u.level = 'district'", [])
    found = read_rows(f"""
        SELECT i.code, i.name_vi, i.name_en, i.unit, i.period_type, i.higher_is_better, i.warning, i.critical,
               x.period, x.value
          FROM layers_indicator i CROSS JOIN LATERAL (
               SELECT v.period, avg(v.value) AS value FROM layers_indicatorvalue v
                 JOIN layers_adminunit u ON u.id = v.unit_id
                WHERE v.indicator_id = i.id AND {where} GROUP BY v.period ORDER BY v.period DESC LIMIT 2) x
         WHERE i.domain = 'socioeconomic' ORDER BY i.code = %s DESC, i.id, x.period DESC""", [*p, HEADLINE_INDICATOR])
    by_code: dict[str, list] = {}
    for r in found:
        by_code.setdefault(r[0], []).append(r)
    lang = page_language()
    figures, state = [], "grey"
    for now, *before in by_code.values():
        _c, vi, en, unit, kind, hib, warn, crit, period, value = now
        s = indicator_state(value, warning=warn, critical=crit, higher_is_better=hib, digits=SHOWN_DIGITS)
        state = worse(state, s)
        label, partial = _period(kind, period)
        prev = before[0] if before else None
        figures.append(Figure(en if lang == "en" else vi, round(value, SHOWN_DIGITS) if value is not None else None, unit, label,
                              state=s, partial=partial, change_pct=pct_change(value, prev[9]) if prev else None,
                              change_vs=_period(kind, prev[8])[0] if prev else ""))
    return CardFigures(figures, None, "", state)


SERIES = SeriesDef(f"""SELECT v.period, avg(v.value) FROM layers_indicatorvalue v
                       JOIN layers_indicator i ON i.id = v.indicator_id JOIN layers_adminunit u ON u.id = v.unit_id
                      WHERE i.code = '{HEADLINE_INDICATOR}' AND u.level = 'district' {{f_unit}}
                      GROUP BY 1 ORDER BY 1""", _("Thu ngân sách so với kế hoạch"), "%",
                   unit_sql=f"""SELECT v.period, v.value FROM layers_indicatorvalue v
                                 JOIN layers_indicator i ON i.id = v.indicator_id
                                WHERE i.code = '{HEADLINE_INDICATOR}' AND v.unit_id = %(d)s ORDER BY 1""")

RANKING = RankingDef(f"""SELECT u.id, u.code, u.name, v.value FROM layers_indicatorvalue v
                         JOIN layers_indicator i ON i.id = v.indicator_id JOIN layers_adminunit u ON u.id = v.unit_id
                         WHERE i.code = '{HEADLINE_INDICATOR}'
                           AND v.period = (SELECT max(period) FROM layers_indicatorvalue WHERE indicator_id = i.id)
                           {{f_unit_u}} ORDER BY v.value, u.code LIMIT 30""",
                     _("Thu ngân sách so với kế hoạch, tháng gần nhất"), "%",
                     drill_url="/dashboard/socioeconomic/unit/{code}/")

RECORDS = (RecordsDef(
    _("Các chỉ tiêu của đơn vị, kỳ gần nhất"),
    f"""SELECT count(*) OVER (), v.id, u.name, CASE WHEN %(lang)s = 'en' THEN i.name_en ELSE i.name_vi END,
               v.value, i.unit, v.period,
               CASE WHEN CASE WHEN i.higher_is_better THEN round(v.value::numeric, 1) <= i.critical
                              ELSE round(v.value::numeric, 1) >= i.critical END THEN 'red'
                    WHEN CASE WHEN i.higher_is_better THEN round(v.value::numeric, 1) <= i.warning
                              ELSE round(v.value::numeric, 1) >= i.warning END THEN 'amber' ELSE 'green' END
          FROM layers_indicatorvalue v JOIN layers_indicator i ON i.id = v.indicator_id
          JOIN layers_adminunit u ON u.id = v.unit_id
         WHERE v.unit_id IN {UNIT_IDS}
           AND v.period = (SELECT max(period) FROM layers_indicatorvalue WHERE indicator_id = i.id)
         ORDER BY u.level = 'commune', u.name, i.id LIMIT %(n)s""",
    (Column(_("Đơn vị")), Column(_("Chỉ tiêu")), Column(_("Giá trị"), kind="number"), Column(_("Đơn vị tính")),
     Column(_("Kỳ báo cáo"), kind="month"), Column(_("Đánh giá"), kind="state")),
    layer="socioeconomic-indicators"),)


def indicator_red() -> list[Firing]:
    """A district's latest monthly indicator value in the red zone of its thresholds."""
    out = []
    for uid, name, code, iname, value, unit, crit, _hib, wkt in rows("""
        SELECT u.id, u.name, i.code, i.name_vi, v.value, i.unit, i.critical, i.higher_is_better,
               ST_AsText(ST_PointOnSurface(u.geom))
          FROM layers_indicatorvalue v
          JOIN layers_indicator i ON i.id = v.indicator_id
          JOIN layers_adminunit u ON u.id = v.unit_id
         WHERE u.level = 'district' AND i.period_type = 'monthly'
           AND v.period = (SELECT max(period) FROM layers_indicatorvalue WHERE indicator_id = i.id)
           AND CASE WHEN i.higher_is_better THEN v.value <= i.critical ELSE v.value >= i.critical END"""):
        out.append(Firing(f"indicator:{code}:{uid}", "indicator_red", "socioeconomic", "critical",
                          f"{iname} của {name}: {value:g} {unit} (ngưỡng {crit:g} {unit})", value, crit, uid, wkt))
    return out



DISTRICTS = OrgUnits(level="district")


def _pct(code: str, vi: str, en: str, low: float, high: float) -> Element:
    return Element(code, vi, en, "percent", "%", low, high, sink=indicator_sink(code))


DATASETS = (
    DataSet("finance_monthly", "Thu ngân sách theo tháng", "Budget revenue per month", "so_tc", "monthly",
            DISTRICTS, (_pct("budget_revenue_pct", "Tỷ lệ thu ngân sách so với kế hoạch",
                             "Budget revenue against plan", 0, 300),), due_days=10,
            layers=("socioeconomic-indicators",), domain="socioeconomic"),
    DataSet("investment_monthly", "Giải ngân vốn đầu tư công theo tháng", "Public-investment disbursement per month",
            "so_khdt", "monthly", DISTRICTS,
            (_pct("disbursement_rate", "Tỷ lệ giải ngân vốn đầu tư công", "Public-investment disbursement rate",
                  0, 100),), due_days=10, layers=("socioeconomic-indicators",), domain="socioeconomic"),
    DataSet("industry_trade_monthly", "Công nghiệp, thương mại theo tháng", "Industry and trade per month", "so_ct",
            "monthly", DISTRICTS,
            (_pct("iip_yoy", "Chỉ số sản xuất công nghiệp so với cùng kỳ",
                  "Industrial production index, year on year", 0, 300),
             _pct("retail_growth", "Tăng trưởng tổng mức bán lẻ hàng hóa", "Retail sales growth", -100, 300)),
            due_days=10, layers=("socioeconomic-indicators",), domain="socioeconomic"),
    DataSet("grdp_quarterly", "Tăng trưởng GRDP theo quý", "GRDP growth per quarter", "cuc_tk", "quarterly",
            DISTRICTS, (_pct("grdp_growth", "Tăng trưởng GRDP", "GRDP growth", -50, 50),), due_days=20,
            layers=("socioeconomic-indicators",), domain="socioeconomic"),
    DataSet("poverty_yearly", "Tỷ lệ hộ nghèo theo năm", "Poverty rate per year", "so_ldtbxh", "yearly",
            DISTRICTS, (_pct("poverty_rate", "Tỷ lệ hộ nghèo", "Poverty rate", 0, 100),), due_days=45,
            layers=("socioeconomic-indicators",), domain="socioeconomic"),
)


DOMAIN = Domain(
    id="socioeconomic", title_vi="Chỉ tiêu kinh tế - xã hội", title_en="Socio-economic indicators",
    layers=LAYERS, card_layers=("socioeconomic-indicators",), card=card, series=SERIES, ranking=RANKING,
    rules=(indicator_red,), drill_down=("province", "district", "commune"), records=RECORDS,
    map_filters=(("socioeconomic-indicators", "indicator", HEADLINE_INDICATOR),),
    datasets=DATASETS,
)
