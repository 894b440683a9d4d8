"""Health: facilities, weekly infectious-disease cases per commune, examinations per facility;
an alert when a commune's dengue cases pass its outbreak threshold."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from layers.models import HealthFacility
from layers.registry import Style, TimeMap, layer_from_model, layer_from_view
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
    commune_filter,
    month_period,
    pct_change,
    read_one,
    read_rows,
    rows,
    week_period,
)
from operations.intake.spec import DataSet, Element, OrgUnits, Rule, Sink

HEADLINE_DISEASE = "dengue"
CRITICAL_FACTOR = 2  # critical at twice a commune's outbreak threshold

DISEASES = (("dengue", _("Sốt xuất huyết")), ("hfmd", _("Tay chân miệng")))
# the diseases of the weekly surveillance layer, for the map's picker (no thresholds: each
# commune has its own outbreak threshold, so the map classes by quantiles)
DISEASES_SQL = ("SELECT * FROM (VALUES ('dengue', 'Sốt xuất huyết', 'Dengue fever', 'ca', NULL::float, NULL::float, "
                "false), ('hfmd', 'Tay chân miệng', 'Hand, foot and mouth disease', 'ca', NULL, NULL, false)) v")

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
        id="disease-cases-weekly", choices={"disease": DISEASES}, title_vi="Ca bệnh truyền nhiễm theo tuần, theo xã",
        department="Sở Y tế (CDC)", cadence="weekly",
        title_en="Infectious-disease cases per week and commune", domain="health", table="ioc_disease_weekly",
        geometry_type="MultiPolygon", time_field="week", title_field="unit_name",
        fields=(("disease", "string", _("bệnh")), ("week", "string", _("tuần"), "", "date"),
                ("cases", "integer", _("số ca"), _("ca")), ("threshold", "integer", _("ngưỡng dịch"), _("ca")),
                ("outbreak", "boolean", _("vượt ngưỡng")), ("unit_code", "string", _("mã xã")),
                ("unit_name", "string", _("xã/phường"))),
        style=Style(color="#c53030", fill="#fc8181", weight=1),
        time_map=TimeMap(period="week", measures=("cases",), dimension="disease", dimensions_sql=DISEASES_SQL),
    ),
    layer_from_view(
        id="health-facility-activity", choices={"kind": HealthFacility.Kind.choices}, title_vi="Khám, điều trị theo tháng tại cơ sở y tế",
        title_en="Examinations and inpatients per facility and month", domain="health", table="ioc_facility_monthly",
        geometry_type="Point", time_field="month", title_field="name", joins_commune=True, cluster=True,
        department="Sở Y tế", cadence="monthly",
        fields=(("name", "string", _("tên cơ sở")), ("kind", "string", _("loại")),
                ("month", "string", _("tháng"), "", "date"), ("examinations", "integer", _("lượt khám"), _("lượt")),
                ("inpatients", "integer", _("điều trị nội trú"), _("người"))),
        style=Style(color="#e53e3e", radius=5),
        time_map=TimeMap(period="month", measures=("examinations", "inpatients")),
    ),
)




def card(district: int | None) -> CardFigures:
    """Dengue and hand-foot-mouth cases of the latest week against the week before, the communes
    over their own outbreak thresholds (red as soon as there is one), examinations and inpatients
    of the latest month."""
    f, p = commune_filter("w.commune_id", district)
    found = read_rows(f"""WITH last AS (SELECT max(week) AS w FROM layers_diseaseweekly)
                 SELECT w.disease, w.week, sum(w.cases), count(*) FILTER (WHERE w.cases > w.threshold)
                   FROM layers_diseaseweekly w CROSS JOIN last WHERE w.week >= last.w - 7{f}
                  GROUP BY 1, 2 ORDER BY 2 DESC""", p)
    by = {(d, wk): (c, o) for d, wk, c, o in found}
    wk = found[0][1] if found else None
    pwk = wk - timedelta(days=7) if wk else None
    period, partial = week_period(wk)
    figures = []
    for code, label in DISEASES:
        cases, n_over = by.get((code, wk), (None, 0))
        before = by.get((code, pwk), (None, 0))[0]
        figures.append(Figure(str(_("Ca %(disease)s") % {"disease": str(label).lower()}), cases, str(_("ca")), period,
                              partial=partial, state="red" if n_over else "green" if cases is not None else "",
                              change_pct=pct_change(cases, before),
                              change_vs=week_period(pwk)[0] if pwk else ""))
    over = read_one(f"""SELECT count(DISTINCT w.commune_id) FROM layers_diseaseweekly w
                         WHERE w.week = %s AND w.cases > w.threshold{f}""", [wk, *p])[0] if wk else 0
    figures.append(Figure(str(_("Xã vượt ngưỡng dịch")), over, str(_("xã")), period, partial=partial))
    g, gp = commune_filter("h.commune_id", district)
    months = read_rows(f"""SELECT m.month, sum(m.examinations), sum(m.inpatients) FROM layers_facilitymonthly m
                             JOIN layers_healthfacility h ON h.id = m.facility_id WHERE true{g}
                            GROUP BY 1 ORDER BY 1 DESC LIMIT 2""", gp)
    if months:
        (m, exams, inpatients), prev = months[0], (months[1] if len(months) > 1 else None)
        mlabel, mpartial = month_period(m)
        figures += [Figure(str(_("Lượt khám bệnh")), exams, str(_("lượt")), mlabel, partial=mpartial,
                           change_pct=pct_change(exams, prev[1]) if prev else None,
                           change_vs=month_period(prev[0])[0] if prev else ""),
                    Figure(str(_("Điều trị nội trú")), inpatients, str(_("người")), mlabel, partial=mpartial)]
    state = "grey" if wk is None else "red" if over else "green"
    return CardFigures(figures, None, "", state)


SERIES = SeriesDef(f"""SELECT date_trunc('month', w.week)::date, sum(w.cases) FROM layers_diseaseweekly w
                       WHERE w.disease = '{HEADLINE_DISEASE}' AND w.week >= date_trunc('month', now()) - interval '24 months' {{f_commune_w}}
                       GROUP BY 1 ORDER BY 1""",
                   _("Ca sốt xuất huyết"), _("ca"))

RANKING = RankingDef(f"""SELECT u.id, u.code, u.name, w.cases FROM layers_diseaseweekly w
                           JOIN layers_adminunit u ON u.id = w.commune_id
                          WHERE w.disease = '{HEADLINE_DISEASE}' AND w.week = (SELECT max(week) FROM layers_diseaseweekly)
                          {{f_commune_w}} ORDER BY w.cases DESC, u.code LIMIT 30""",
                     _("Ca sốt xuất huyết tuần gần nhất"), _("ca"), drill_url="/dashboard/health/unit/{code}/")

RECORDS = (
    RecordsDef(
        _("Ca bệnh truyền nhiễm tuần gần nhất, theo xã (vượt ngưỡng trước)"),
        f"""SELECT count(*) OVER (), w.id, u.name, w.disease, w.cases, w.threshold,
                   CASE WHEN w.cases > w.threshold THEN 'red' ELSE 'green' END
              FROM layers_diseaseweekly w JOIN layers_adminunit u ON u.id = w.commune_id
             WHERE w.commune_id IN {UNIT_IDS} AND w.week = (SELECT max(week) FROM layers_diseaseweekly)
             ORDER BY w.cases > w.threshold DESC, w.cases DESC, u.name LIMIT %(n)s""",
        (Column(_("Xã/phường")), Column(_("Bệnh"), choices=DISEASES),
         Column(_("Số ca"), _("ca"), kind="number"), Column(_("Ngưỡng dịch"), _("ca"), kind="number"),
         Column(_("Đánh giá"), kind="state")),
        layer="disease-cases-weekly"),
    RecordsDef(
        _("Cơ sở y tế: khám, điều trị tháng gần nhất"),
        f"""SELECT count(*) OVER (), h.id, h.name, h.kind, h.beds, h.doctors, m.examinations, m.inpatients, m.month
              FROM layers_healthfacility h
              LEFT JOIN layers_facilitymonthly m ON m.facility_id = h.id
                    AND m.month = (SELECT max(month) FROM layers_facilitymonthly)
             WHERE h.commune_id IN {UNIT_IDS}
             ORDER BY m.examinations DESC NULLS LAST, h.name LIMIT %(n)s""",
        (Column(_("Cơ sở y tế")), Column(_("Loại"), choices=tuple(HealthFacility.Kind.choices)),
         Column(_("Giường bệnh"), _("giường"), kind="number"), Column(_("Bác sĩ"), _("bác sĩ"), kind="number"),
         Column(_("Lượt khám"), _("lượt"), kind="number"), Column(_("Điều trị nội trú"), _("người"), kind="number"),
         Column(_("Tháng"), kind="month")),
        layer="health-facilities"),
)


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




def _disease_sink(disease: str) -> Sink:
    """A commune's weekly cases; a new row takes the commune's last outbreak threshold."""
    return Sink("layers_diseaseweekly", "cases", "commune_id", "week", keys=(("disease", disease),),
                defaults=(("threshold", "COALESCE((SELECT d.threshold FROM layers_diseaseweekly d WHERE "
                                        f"d.commune_id = v.unit AND d.disease = '{disease}' ORDER BY d.week DESC "
                                        "LIMIT 1), 10)"),))


def _facility_sink(column: str) -> Sink:
    return Sink("layers_facilitymonthly", column, "facility_id", "month")


DATASETS = (
    DataSet("disease_weekly", "Ca bệnh truyền nhiễm theo tuần", "Infectious-disease cases per week", "so_yte",
            "weekly", OrgUnits(level="commune"),
            (Element("dengue_cases", "Số ca sốt xuất huyết", "Dengue fever cases", unit="ca", max=500,
                     sink=_disease_sink("dengue")),
             Element("hfmd_cases", "Số ca tay chân miệng", "Hand, foot and mouth disease cases", unit="ca", max=500,
                     sink=_disease_sink("hfmd"))),
            due_days=2, layers=("disease-cases-weekly",), domain="health"),
    DataSet("health_facility_monthly", "Khám, điều trị tại cơ sở y tế theo tháng",
            "Examinations and inpatients per facility and month", "so_yte", "monthly",
            OrgUnits(table="layers_healthfacility", prefix="YT", label_vi="cơ sở y tế", label_en="health facility"),
            (Element("examinations", "Lượt khám bệnh", "Examinations", unit="lượt", max=200_000,
                     sink=_facility_sink("examinations")),
             Element("inpatients", "Lượt điều trị nội trú", "Inpatients", unit="người", max=50_000,
                     sink=_facility_sink("inpatients"))),
            rules=(Rule.le("inpatients", "examinations", "Số điều trị nội trú không được lớn hơn số lượt khám",
                           "Inpatients cannot exceed examinations"),),
            due_days=10, layers=("health-facility-activity",), domain="health"),
)


DOMAIN = Domain(
    id="health", title_vi="Y tế", title_en="Health",
    layers=LAYERS, card_layers=("health-facilities", "disease-cases-weekly", "health-facility-activity"),
    card=card, series=SERIES, ranking=RANKING, rules=(dengue_outbreak,),
    drill_down=("province", "district", "commune", "facility"), records=RECORDS,
    map_filters=(("disease-cases-weekly", "disease", HEADLINE_DISEASE),),
    datasets=DATASETS,
)
