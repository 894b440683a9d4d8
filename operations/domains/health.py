"""Health: facilities, weekly infectious-disease cases per commune, examinations per facility;
an alert when a commune's dengue cases pass its outbreak threshold."""

from django.utils.translation import gettext_lazy as _

from layers.models import HealthFacility
from layers.registry import Style, layer_from_model, layer_from_view
from operations.domain import (
    CardFigures,
    Domain,
    Figure,
    Firing,
    RankingDef,
    SeriesDef,
    commune_filter,
    pct_change,
    read_rows,
    rows,
)

HEADLINE_DISEASE = "dengue"
CRITICAL_FACTOR = 2  # critical at twice a commune's outbreak threshold

LAYERS = (
    layer_from_model(
        HealthFacility, id="health-facilities", title_vi="Cơ sở y tế", title_en="Health facilities",
        department="Sở Y tế",
        domain="health", units={"beds": _("giường"), "doctors": _("bác sĩ")}, title_field="name",
        cluster=True, editable=True,
        style=Style(color="#e53e3e", by="kind", palette=(
            ("hospital", "#c53030"), ("clinic", "#f56565"), ("station", "#feb2b2"))),
    ),
    layer_from_view(
        id="disease-cases-weekly", title_vi="Ca bệnh truyền nhiễm theo tuần, theo xã",
        department="Sở Y tế (CDC)", cadence="weekly",
        title_en="Infectious-disease cases per week and commune", domain="health", table="ioc_disease_weekly",
        geometry_type="MultiPolygon", time_field="week", title_field="unit_name",
        fields=(("disease", "string", _("bệnh")), ("week", "string", _("tuần"), "", "date"),
                ("cases", "integer", _("số ca"), _("ca")), ("threshold", "integer", _("ngưỡng dịch"), _("ca")),
                ("outbreak", "boolean", _("vượt ngưỡng")), ("unit_code", "string", _("mã xã")),
                ("unit_name", "string", _("xã/phường"))),
        style=Style(color="#c53030", fill="#fc8181", weight=1),
    ),
    layer_from_view(
        id="health-facility-activity", title_vi="Khám, điều trị theo tháng tại cơ sở y tế",
        title_en="Examinations and inpatients per facility and month", domain="health", table="ioc_facility_monthly",
        geometry_type="Point", time_field="month", title_field="name", joins_commune=True, cluster=True,
        department="Sở Y tế", cadence="monthly",
        fields=(("name", "string", _("tên cơ sở")), ("kind", "string", _("loại")),
                ("month", "string", _("tháng"), "", "date"), ("examinations", "integer", _("lượt khám"), _("lượt")),
                ("inpatients", "integer", _("điều trị nội trú"), _("người"))),
        style=Style(color="#e53e3e", radius=5),
    ),
)


def card(district: int | None) -> CardFigures:
    f, p = commune_filter("w.commune_id", district)
    found = read_rows(f"""SELECT w.week, sum(w.cases), count(*) FILTER (WHERE w.cases > w.threshold)
                            FROM layers_diseaseweekly w WHERE w.disease = %s{f}
                           GROUP BY w.week ORDER BY w.week DESC LIMIT 2""", [HEADLINE_DISEASE, *p])
    (wk, cases, outbreaks), (pwk, pcases, _o) = (found + [(None, None, 0)] * 2)[:2]
    state = "grey" if wk is None else "red" if outbreaks else "green"
    return CardFigures([Figure(str(_("Ca sốt xuất huyết")), cases, str(_("ca")),
                               f"{str(_('tuần'))} {wk:%d/%m/%Y}" if wk else "–"),
                        Figure(str(_("Xã vượt ngưỡng dịch")), outbreaks, str(_("xã")), f"{wk:%d/%m/%Y}" if wk else "–")],
                       pct_change(cases, pcases), f"{pwk:%d/%m/%Y}" if pwk else "", state)


SERIES = SeriesDef(f"""SELECT date_trunc('month', w.week)::date, sum(w.cases) FROM layers_diseaseweekly w
                       WHERE w.disease = '{HEADLINE_DISEASE}' {{f_commune_w}} GROUP BY 1 ORDER BY 1""",
                   _("Ca sốt xuất huyết"), _("ca"))

RANKING = RankingDef(f"""SELECT u.id, u.code, u.name, w.cases FROM layers_diseaseweekly w
                           JOIN layers_adminunit u ON u.id = w.commune_id
                          WHERE w.disease = '{HEADLINE_DISEASE}' AND w.week = (SELECT max(week) FROM layers_diseaseweekly)
                          {{f_commune_w}} ORDER BY w.cases DESC, u.code LIMIT 30""",
                     _("Ca sốt xuất huyết tuần gần nhất"), _("ca"))


def dengue_outbreak() -> list[Firing]:
    """Dengue cases of a commune above its outbreak threshold in the latest reported week."""
    out = []
    for uid, name, week, cases, thr, wkt in rows("""
        SELECT u.id, u.name, w.week, w.cases, w.threshold, ST_AsText(ST_PointOnSurface(u.geom))
          FROM layers_diseaseweekly w JOIN layers_adminunit u ON u.id = w.commune_id
         WHERE w.disease = %s AND w.cases > w.threshold
           AND w.week = (SELECT max(week) FROM layers_diseaseweekly)""", [HEADLINE_DISEASE]):
        out.append(Firing(f"dengue_outbreak:{uid}", "dengue_outbreak", "health",
                          "critical" if cases > CRITICAL_FACTOR * thr else "warning",
                          f"Sốt xuất huyết: {cases} ca tuần {week:%d/%m/%Y} tại {name} (ngưỡng {thr})",
                          cases, thr, uid, wkt))
    return out


DOMAIN = Domain(
    id="health", title_vi="Y tế", title_en="Health",
    layers=LAYERS, card_layers=("health-facilities", "disease-cases-weekly", "health-facility-activity"),
    card=card, series=SERIES, ranking=RANKING, rules=(dengue_outbreak,),
    drill_down=("province", "district", "commune"),
)
