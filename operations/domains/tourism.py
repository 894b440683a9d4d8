"""Tourism: sites, visitors and revenue per site and month, compared with the same month a
year before."""

from django.utils.translation import gettext_lazy as _

from layers.models import TouristSite
from layers.registry import Style, TimeMap, layer_from_model, layer_from_view
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
    month_label,
    month_period,
    pct_change,
    read_rows,
)
from operations.intake.spec import DataSet, Element, OrgUnits, Sink

AMBER_ABOVE_CHANGE_PCT = -10  # visitors against the same month last year, the card's state (growth: green)

LAYERS = (
    layer_from_model(
        TouristSite, id="tourist-sites", title_vi="Điểm du lịch", title_en="Tourist sites",
        domain="tourism", units={"annual_visitors": _("lượt/năm")}, title_field="name", editable=True,
        style=Style(color="#38a169", radius=8),
    ),
    layer_from_view(
        id="tourism-visitors", choices={"kind": TouristSite.Kind.choices}, title_vi="Lượt khách và doanh thu du lịch theo tháng",
        title_en="Tourist visitors and revenue by month",
        department="Sở Văn hóa, Thể thao và Du lịch", cadence="monthly",
        domain="tourism", table="ioc_tourism_monthly", geometry_type="Point", time_field="month", title_field="name",
        joins_commune=True,
        fields=(("name", "string", _("tên điểm du lịch")), ("kind", "string", _("loại hình")),
                ("month", "string", _("tháng"), "", "date"), ("visitors", "integer", _("lượt khách"), _("lượt")),
                ("revenue_mvnd", "number", _("doanh thu"), _("triệu đồng"))),
        style=Style(color="#276749", radius=7),
        time_map=TimeMap(period="month", measures=("visitors", "revenue_mvnd")),
    ),
)


def card(district: int | None) -> CardFigures:
    """Visitors and revenue of the latest month, each against the same month a year before."""
    f, p = commune_filter("s.commune_id", district)
    found = read_rows(f"""SELECT t.month, sum(t.visitors), sum(t.revenue_mvnd), count(DISTINCT t.site_id)
                            FROM layers_tourismmonthly t
                            JOIN layers_touristsite s ON s.id = t.site_id WHERE true{f}
                           GROUP BY t.month ORDER BY t.month DESC LIMIT 13""", p)
    if not found:
        return CardFigures([])
    m, v, rev, sites = found[0]
    last_year = found[12] if len(found) > 12 and found[12][0].year == m.year - 1 else None
    change = pct_change(v, last_year[1] if last_year else None)
    state = "grey" if change is None else "green" if change >= 0 else "amber" if change > AMBER_ABOVE_CHANGE_PCT else "red"
    period, partial = month_period(m)
    vs = str(_("cùng kỳ %(month)s")) % {"month": month_label(last_year[0])} if last_year else ""
    return CardFigures([Figure(str(_("Lượt khách")), v, str(_("lượt")), period, partial=partial, state=state,
                               change_pct=change, change_vs=vs),
                        Figure(str(_("Doanh thu du lịch")), round(float(rev)), str(_("triệu đồng")), period,
                               partial=partial, change_pct=pct_change(rev, last_year[2] if last_year else None),
                               change_vs=vs),
                        Figure(str(_("Điểm du lịch có số liệu")), sites, str(_("điểm")), period)],
                       None, "", state)


SERIES = SeriesDef("""SELECT t.month, sum(t.visitors) FROM layers_tourismmonthly t
                        JOIN layers_touristsite s ON s.id = t.site_id
                       WHERE t.month >= date_trunc('month', now()) - interval '24 months' {f_commune_s} GROUP BY 1 ORDER BY 1""", _("Lượt khách"), _("lượt"))

RANKING = RankingDef("""SELECT u.id, u.code, u.name,
                               round(100.0 * sum(t.visitors) FILTER (WHERE t.month = l.m)
                                     / nullif(sum(t.visitors) FILTER (WHERE t.month = l.m - interval '1 year'), 0) - 100, 1)
                          FROM layers_tourismmonthly t
                          JOIN layers_touristsite s ON s.id = t.site_id
                          JOIN layers_adminunit u ON u.id = s.commune_id
                          CROSS JOIN (SELECT max(month) AS m FROM layers_tourismmonthly) l
                         WHERE t.month IN (l.m, l.m - interval '1 year') {f_commune_s}
                         GROUP BY u.id ORDER BY 4 NULLS LAST, u.code LIMIT 30""",
                     _("Lượt khách tháng gần nhất so với cùng kỳ năm trước (giảm nhiều nhất trước)"), "%",
                     drill_url="/dashboard/tourism/unit/{code}/")

RECORDS = (RecordsDef(
    _("Điểm du lịch, tháng gần nhất (giảm nhiều nhất so với cùng kỳ trước)"),
    f"""WITH l AS (SELECT max(month) AS m FROM layers_tourismmonthly)
        SELECT count(*) OVER (), s.id, s.name, s.kind, t.month, t.visitors, y.visitors,
               round((100.0 * t.visitors / nullif(y.visitors, 0) - 100)::numeric, 1), t.revenue_mvnd
          FROM layers_touristsite s CROSS JOIN l
          LEFT JOIN layers_tourismmonthly t ON t.site_id = s.id AND t.month = l.m
          LEFT JOIN layers_tourismmonthly y ON y.site_id = s.id AND y.month = l.m - interval '1 year'
         WHERE s.commune_id IN {UNIT_IDS}
         ORDER BY 8 NULLS LAST, s.name LIMIT %(n)s""",
    (Column(_("Điểm du lịch")), Column(_("Loại hình"), choices=tuple(TouristSite.Kind.choices)),
     Column(_("Tháng"), kind="month"), Column(_("Lượt khách"), _("lượt"), kind="number"),
     Column(_("Cùng kỳ năm trước"), _("lượt"), kind="number"), Column(_("So với cùng kỳ"), "%", kind="number"),
     Column(_("Doanh thu"), _("triệu đồng"), kind="number")),
    layer="tourist-sites"),)


DATASETS = (
    DataSet("tourism_monthly", "Khách, doanh thu du lịch theo tháng", "Visitors and tourism revenue per month",
            "so_vhttdl", "monthly",
            OrgUnits(table="layers_touristsite", prefix="DL", label_vi="điểm du lịch", label_en="tourist site"),
            (Element("visitors", "Lượt khách", "Visitors", unit="lượt", max=500_000,
                     sink=Sink("layers_tourismmonthly", "visitors", "site_id", "month")),
             Element("revenue_mvnd", "Doanh thu", "Revenue", "number", "triệu đồng", max=1_000_000,
                     sink=Sink("layers_tourismmonthly", "revenue_mvnd", "site_id", "month"))),
            due_days=10, layers=("tourism-visitors",), domain="tourism"),
)


DOMAIN = Domain(
    id="tourism", title_vi="Du lịch", title_en="Tourism",
    layers=LAYERS, card_layers=("tourist-sites", "tourism-visitors"), card=card, series=SERIES, ranking=RANKING,
    drill_down=("province", "district", "commune", "site"), records=RECORDS,
    datasets=DATASETS,
)
