"""Tourism: sites, visitors and revenue per site and month, compared with the same month a
year before."""

from django.utils.translation import gettext_lazy as _

from layers.models import TouristSite
from layers.registry import Style, layer_from_model, layer_from_view
from operations.domain import (
    CardFigures,
    Domain,
    Figure,
    RankingDef,
    SeriesDef,
    commune_filter,
    month_label,
    pct_change,
    read_rows,
)

AMBER_ABOVE_CHANGE_PCT = -10  # visitors against the same month last year, the card's state (growth: green)

LAYERS = (
    layer_from_model(
        TouristSite, id="tourist-sites", title_vi="Điểm du lịch", title_en="Tourist sites",
        domain="tourism", units={"annual_visitors": _("lượt/năm")}, title_field="name", editable=True,
        style=Style(color="#38a169", radius=8),
    ),
    layer_from_view(
        id="tourism-visitors", title_vi="Lượt khách và doanh thu du lịch theo tháng",
        title_en="Tourist visitors and revenue by month",
        department="Sở Văn hóa, Thể thao và Du lịch", cadence="monthly",
        domain="tourism", table="ioc_tourism_monthly", geometry_type="Point", time_field="month", title_field="name",
        joins_commune=True,
        fields=(("name", "string", _("tên điểm du lịch")), ("kind", "string", _("loại hình")),
                ("month", "string", _("tháng"), "", "date"), ("visitors", "integer", _("lượt khách"), _("lượt")),
                ("revenue_mvnd", "number", _("doanh thu"), _("triệu đồng"))),
        style=Style(color="#276749", radius=7),
    ),
)


def card(district: int | None) -> CardFigures:
    f, p = commune_filter("s.commune_id", district)
    found = read_rows(f"""SELECT t.month, sum(t.visitors), sum(t.revenue_mvnd) FROM layers_tourismmonthly t
                            JOIN layers_touristsite s ON s.id = t.site_id WHERE true{f}
                           GROUP BY t.month ORDER BY t.month DESC LIMIT 13""", p)
    if not found:
        return CardFigures([])
    m, v, rev = found[0]
    last_year = found[12] if len(found) > 12 else None
    change = pct_change(v, last_year[1] if last_year else None)
    state = "grey" if change is None else "green" if change >= 0 else "amber" if change > AMBER_ABOVE_CHANGE_PCT else "red"
    return CardFigures([Figure(str(_("Lượt khách")), v, str(_("lượt")), month_label(m)),
                        Figure(str(_("Doanh thu")), round(float(rev)), str(_("triệu đồng")), month_label(m))],
                       change, month_label(last_year[0]) if last_year else "", state)


SERIES = SeriesDef("""SELECT t.month, sum(t.visitors) FROM layers_tourismmonthly t
                        JOIN layers_touristsite s ON s.id = t.site_id
                       WHERE true {f_commune_s} GROUP BY 1 ORDER BY 1""", _("Lượt khách"), _("lượt"))

RANKING = RankingDef("""SELECT s.id, '', s.name, sum(t.visitors) FROM layers_tourismmonthly t
                          JOIN layers_touristsite s ON s.id = t.site_id
                         WHERE t.month = (SELECT max(month) FROM layers_tourismmonthly) {f_commune_s}
                         GROUP BY s.id ORDER BY 4 ASC LIMIT 30""",
                     _("Lượt khách tháng gần nhất (thấp nhất trước)"), _("lượt"))

DOMAIN = Domain(
    id="tourism", title_vi="Du lịch", title_en="Tourism",
    layers=LAYERS, card_layers=("tourist-sites", "tourism-visitors"), card=card, series=SERIES, ranking=RANKING,
    drill_down=("province", "district", "site"),
)
