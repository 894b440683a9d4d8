"""Security and order: incidents (a restricted layer: reporters are personal data)."""

from django.utils.translation import gettext_lazy as _

from layers.models import SecurityIncident
from layers.registry import Style, layer_from_model
from operations.domain import (
    CardFigures,
    Domain,
    Figure,
    RankingDef,
    SeriesDef,
    month_label,
    monthly_count,
    pct_change,
    trend_state,
)

RED_ABOVE_PCT = 15  # incidents this month against last month, the card's state

LAYERS = (
    layer_from_model(
        SecurityIncident, id="security-incidents", title_vi="Vụ việc an ninh, trật tự",
        department="Công an tỉnh", cadence="monthly",
        title_en="Security and order incidents", domain="security", time_field="occurred_at",
        access="restricted", roles=("security",), editable=True, cluster=True, title_field="category",
        style=Style(color="#9b2c2c", by="category", palette=(
            ("theft", "#c53030"), ("robbery", "#9b2c2c"), ("drugs", "#553c9a"), ("fight", "#dd6b20"),
            ("fraud", "#2c7a7b"), ("gambling", "#975a16"))),
    ),
)


def card(district: int | None) -> CardFigures:
    now, before, m, pm = monthly_count("layers_securityincident", "occurred_at", district)
    change = pct_change(now, before)
    return CardFigures([Figure(str(_("Vụ việc an ninh trật tự")), now, str(_("vụ")), month_label(m))],
                       change, month_label(pm), trend_state(change, red_above=RED_ABOVE_PCT))


SERIES = SeriesDef("""SELECT date_trunc('month', t.occurred_at)::date, count(*) FROM layers_securityincident t
                      WHERE true {f_commune} GROUP BY 1 ORDER BY 1""", _("Vụ việc an ninh trật tự"), _("vụ"))

RANKING = RankingDef("""SELECT u.id, u.code, u.name, count(*) FROM layers_securityincident t
                          JOIN layers_adminunit u ON u.id = t.commune_id
                         WHERE t.occurred_at > now() - interval '12 months' {f_commune}
                         GROUP BY u.id ORDER BY 4 DESC, u.code LIMIT 30""", _("Vụ việc 12 tháng"), _("vụ"))

DOMAIN = Domain(
    id="security", title_vi="An ninh, trật tự", title_en="Security and order",
    layers=LAYERS, card_layers=("security-incidents",), card=card, series=SERIES, ranking=RANKING,
    drill_down=("province", "district", "commune", "incident"),
)
