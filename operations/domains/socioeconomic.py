"""Socio-economic indicators per district and commune over time (choropleth), budget revenue
against plan on the card, and an alert when a district's indicator enters its red zone."""

from django.utils.translation import gettext_lazy as _

from layers.registry import Style, layer_from_view
from operations.domain import (
    CardFigures,
    Domain,
    Figure,
    Firing,
    RankingDef,
    SeriesDef,
    district_filter,
    month_label,
    pct_change,
    read_rows,
    rows,
)

HEADLINE_INDICATOR = "budget_revenue_pct"
RED_AT_OR_BELOW_PCT = 85  # budget revenue against plan, the card's state
AMBER_AT_OR_BELOW_PCT = 95

LAYERS = (
    layer_from_view(
        id="socioeconomic-indicators", title_vi="Chỉ tiêu kinh tế - xã hội theo đơn vị",
        department="Cục Thống kê", cadence="monthly",
        title_en="Socio-economic indicators by unit", domain="socioeconomic", table="ioc_indicator_values",
        geometry_type="MultiPolygon", time_field="period", title_field="unit_name", min_zoom=0,
        fields=(("indicator", "string", _("mã chỉ tiêu")), ("indicator_name", "string", _("chỉ tiêu")),
                ("measure_unit", "string", _("đơn vị tính")), ("unit_code", "string", _("mã đơn vị")),
                ("unit_name", "string", _("đơn vị")), ("level", "string", _("cấp")),
                ("period", "string", _("kỳ báo cáo"), "", "date"), ("value", "number", _("giá trị")),
                ("plan", "number", _("kế hoạch")), ("pct_of_plan", "number", _("so với kế hoạch"), "%")),
        style=Style(color="#2c5282", fill="#4299e1", weight=1),
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


def card(district: int | None) -> CardFigures:
    f, p = district_filter("v.unit_id", district)
    level = "" if district else " AND u.level = 'district'"
    found = read_rows(f"""SELECT v.period, avg(v.value) FROM layers_indicatorvalue v
                 JOIN layers_indicator i ON i.id = v.indicator_id JOIN layers_adminunit u ON u.id = v.unit_id
                 WHERE i.code = %s{level}{f} GROUP BY v.period ORDER BY v.period DESC LIMIT 2""",
                      [HEADLINE_INDICATOR, *p])
    now, before = (found + [(None, None), (None, None)])[:2]
    value = now[1]
    state = ("grey" if value is None else "red" if value <= RED_AT_OR_BELOW_PCT
             else "amber" if value <= AMBER_AT_OR_BELOW_PCT else "green")
    return CardFigures([Figure(str(_("Thu ngân sách so với kế hoạch")), round(value, 1) if value else None, "%",
                               month_label(now[0]))],
                       pct_change(value, before[1]), month_label(before[0]), state)


SERIES = SeriesDef(f"""SELECT v.period, avg(v.value) FROM layers_indicatorvalue v
                       JOIN layers_indicator i ON i.id = v.indicator_id JOIN layers_adminunit u ON u.id = v.unit_id
                      WHERE i.code = '{HEADLINE_INDICATOR}' AND u.level = 'district' {{f_unit}}
                      GROUP BY 1 ORDER BY 1""", _("Thu ngân sách so với kế hoạch"), "%")

RANKING = RankingDef(f"""SELECT u.id, u.code, u.name, v.value FROM layers_indicatorvalue v
                         JOIN layers_indicator i ON i.id = v.indicator_id JOIN layers_adminunit u ON u.id = v.unit_id
                         WHERE i.code = '{HEADLINE_INDICATOR}'
                           AND v.period = (SELECT max(period) FROM layers_indicatorvalue)
                           {{f_unit_u}} ORDER BY v.value, u.code LIMIT 30""",
                     _("Thu ngân sách so với kế hoạch"), "%")


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


DOMAIN = Domain(
    id="socioeconomic", title_vi="Chỉ tiêu kinh tế - xã hội", title_en="Socio-economic indicators",
    layers=LAYERS, card_layers=("socioeconomic-indicators",), card=card, series=SERIES, ranking=RANKING,
    rules=(indicator_red,), drill_down=("province", "district", "commune"),
)
