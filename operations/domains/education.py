"""Education: schools by level, enrolment and teachers per school year; the pupils per teacher
ratio on the card and in the ranking."""

from django.utils.translation import gettext_lazy as _

from layers.models import School
from layers.registry import Style, layer_from_model, layer_from_view
from operations.domain import (
    UNIT_IDS,
    CardFigures,
    Column,
    Domain,
    Figure,
    RankingDef,
    RecordsDef,
    SeriesDef,
    commune_filter,
    pct_change,
    read_rows,
)
from operations.intake.spec import DataSet, Element, OrgUnits, Rule, Sink

RED_ABOVE_PUPILS_PER_TEACHER = 25  # the card's state
AMBER_ABOVE_PUPILS_PER_TEACHER = 20

LAYERS = (
    layer_from_model(
        School, id="schools", title_vi="Trường học", title_en="Schools", domain="education",
        department="Sở Giáo dục và Đào tạo",
        units={"students": _("học sinh"), "teachers": _("giáo viên")}, title_field="name", cluster=True,
        editable=True,
        style=Style(color="#3182ce", by="level", palette=(
            ("mam_non", "#90cdf4"), ("tieu_hoc", "#4299e1"), ("thcs", "#2b6cb0"), ("thpt", "#1a365d"))),
    ),
    layer_from_view(
        id="school-enrolment", choices={"level": School.Level.choices}, title_vi="Sĩ số và giáo viên theo năm học", title_en="Enrolment and teachers by school year",
        domain="education", table="ioc_school_years", geometry_type="Point", title_field="name",
        joins_commune=True, cluster=True,
        fields=(("name", "string", _("tên trường")), ("level", "string", _("cấp học")),
                ("year", "integer", _("năm học (bắt đầu)")), ("enrolment", "integer", _("số học sinh"), _("học sinh")),
                ("teachers", "integer", _("số giáo viên"), _("giáo viên")),
                ("pupils_per_teacher", "number", _("học sinh / giáo viên"))),
        style=Style(color="#2b6cb0", radius=5),
    ),
)


def _school_year(y: int | None) -> str:
    return str(_("năm học %(y1)s-%(y2)s") % {"y1": y, "y2": y + 1}) if y else "–"


def card(district: int | None) -> CardFigures:
    f, p = commune_filter("s.commune_id", district)
    found = read_rows(f"""SELECT y.year, sum(y.enrolment), sum(y.teachers), count(*),
                                 sum(y.enrolment)::float / nullif(sum(y.teachers), 0)
                            FROM layers_schoolyear y JOIN layers_school s ON s.id = y.school_id WHERE true{f}
                           GROUP BY y.year ORDER BY y.year DESC LIMIT 2""", p)
    (yr, enr, teachers, schools, ratio), (pyr, penr, *_r) = (found + [(None,) * 5] * 2)[:2]
    state = ("grey" if ratio is None else "red" if round(ratio, 1) > RED_ABOVE_PUPILS_PER_TEACHER
             else "amber" if round(ratio, 1) > AMBER_ABOVE_PUPILS_PER_TEACHER else "green")
    return CardFigures([Figure(str(_("Học sinh")), enr, str(_("học sinh")), _school_year(yr),
                               change_pct=pct_change(enr, penr), change_vs=_school_year(pyr) if pyr else ""),
                        Figure(str(_("Giáo viên")), teachers, str(_("giáo viên")), _school_year(yr)),
                        Figure(str(_("Học sinh / giáo viên")), round(ratio, 1) if ratio else None,
                               str(_("học sinh/giáo viên")), _school_year(yr), state=state),
                        Figure(str(_("Trường học")), schools, str(_("trường")), _school_year(yr))],
                       None, "", state)


SERIES = SeriesDef("""SELECT make_date(y.year, 9, 1), sum(y.enrolment) FROM layers_schoolyear y
                      JOIN layers_school t ON t.id = y.school_id WHERE true {f_commune} GROUP BY 1 ORDER BY 1""",
                   _("Học sinh"), _("học sinh"), period="year")

RANKING = RankingDef("""SELECT u.id, u.code, u.name, round(sum(y.enrolment)::numeric / nullif(sum(y.teachers), 0), 1)
                          FROM layers_schoolyear y JOIN layers_school t ON t.id = y.school_id
                          JOIN layers_adminunit u ON u.id = t.commune_id
                         WHERE y.year = (SELECT max(year) FROM layers_schoolyear) {f_commune}
                         GROUP BY u.id ORDER BY 4 DESC NULLS LAST, u.code LIMIT 30""",
                     _("Học sinh / giáo viên theo xã, năm học gần nhất"), _("học sinh/giáo viên"),
                     drill_url="/dashboard/education/unit/{code}/")

RECORDS = (RecordsDef(
    _("Trường học, năm học gần nhất (nhiều học sinh / giáo viên nhất trước)"),
    f"""SELECT count(*) OVER (), s.id, s.name, s.level, y.enrolment, y.teachers,
               round(y.enrolment::numeric / nullif(y.teachers, 0), 1), u.name
          FROM layers_school s JOIN layers_adminunit u ON u.id = s.commune_id
          LEFT JOIN layers_schoolyear y ON y.school_id = s.id AND y.year = (SELECT max(year) FROM layers_schoolyear)
         WHERE s.commune_id IN {UNIT_IDS}
         ORDER BY 7 DESC NULLS LAST, s.name LIMIT %(n)s""",
    (Column(_("Trường")), Column(_("Cấp học"), choices=tuple(School.Level.choices)),
     Column(_("Học sinh"), _("học sinh"), kind="number"), Column(_("Giáo viên"), _("giáo viên"), kind="number"),
     Column(_("Học sinh / giáo viên"), kind="number"), Column(_("Xã/phường"))),
    layer="schools"),)


DATASETS = (
    DataSet("school_year", "Học sinh, giáo viên theo năm học", "Students and teachers per school year", "so_gddt",
            "school_year", OrgUnits(table="layers_school", prefix="TR", label_vi="trường", label_en="school"),
            (Element("enrolment", "Số học sinh", "Students", unit="học sinh", max=5000,
                     sink=Sink("layers_schoolyear", "enrolment", "school_id", "year", period_as_year=True)),
             Element("teachers", "Số giáo viên", "Teachers", unit="giáo viên", min=1, max=300,
                     sink=Sink("layers_schoolyear", "teachers", "school_id", "year", period_as_year=True))),
            rules=(Rule.ratio("enrolment", "teachers", 5, 60, "Số học sinh trên một giáo viên phải từ 5 đến 60",
                              "Students per teacher must be between 5 and 60"),),
            due_days=45, layers=("school-enrolment",), domain="education"),
)


DOMAIN = Domain(
    id="education", title_vi="Giáo dục", title_en="Education",
    layers=LAYERS, card_layers=("schools", "school-enrolment"), card=card, series=SERIES, ranking=RANKING,
    drill_down=("province", "district", "commune", "school"), records=RECORDS,
    datasets=DATASETS,
)
