"""Security and order: incidents (a restricted layer: reporters are personal data)."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from layers.models import SecurityIncident
from layers.registry import Style, layer_from_model
from operations.domain import (
    UNIT_IDS,
    CardFigures,
    Column,
    Domain,
    Figure,
    RankingDef,
    RecordsDef,
    SeriesDef,
    complete_month,
    month_label,
    month_period,
    month_so_far,
    pct_change,
    trend_state,
)
from operations.intake.report_layers import report_layers
from operations.intake.spec import DataSet, Element, OrgUnits, Rule

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
    """The latest complete month's incidents against the month before, and the incidents of the
    month not over yet, labelled as such."""
    n, before, m = complete_month("layers_securityincident", "occurred_at", district)
    change = pct_change(n, before)
    figures = [Figure(str(_("Vụ việc an ninh trật tự")), n, str(_("vụ")), month_period(m)[0])]
    so_far = month_so_far("layers_securityincident", "occurred_at", district, label=str(_("Vụ việc an ninh trật tự")), unit_name=str(_("vụ")))
    if so_far.partial:  # the complete month leads; the month not over yet follows, labelled
        figures.append(so_far)
    vs = month_label(m and (m - timedelta(days=1)).replace(day=1))
    return CardFigures(figures, change, vs, trend_state(change, red_above=RED_ABOVE_PCT))


SERIES = SeriesDef("""SELECT date_trunc('month', t.occurred_at)::date, count(*) FROM layers_securityincident t
                      WHERE t.occurred_at >= date_trunc('month', now()) - interval '24 months' {f_commune} GROUP BY 1 ORDER BY 1""", _("Vụ việc an ninh trật tự"), _("vụ"))

RANKING = RankingDef("""SELECT u.id, u.code, u.name, count(*) FROM layers_securityincident t
                          JOIN layers_adminunit u ON u.id = t.commune_id
                         WHERE t.occurred_at > now() - interval '12 months' {f_commune}
                         GROUP BY u.id ORDER BY 4 DESC, u.code LIMIT 30""", _("Vụ việc 12 tháng qua"), _("vụ"),
                     drill_url="/dashboard/security/unit/{code}/")

RECORDS = (RecordsDef(
    _("Vụ việc an ninh, trật tự 12 tháng qua (mới nhất trước)"),
    f"""SELECT count(*) OVER (), t.id, t.occurred_at, t.category, t.status, u.name
          FROM layers_securityincident t JOIN layers_adminunit u ON u.id = t.commune_id
         WHERE t.commune_id IN {UNIT_IDS} AND t.occurred_at > now() - interval '12 months'
         ORDER BY t.occurred_at DESC, t.id LIMIT %(n)s""",
    (Column(_("Thời điểm"), kind="datetime"), Column(_("Loại vụ việc"), choices=tuple(SecurityIncident.Category.choices)),
     Column(_("Trạng thái"), choices=tuple(SecurityIncident.Status.choices)), Column(_("Xã/phường"))),
    layer="security-incidents"),)


DATASETS = (
    DataSet("security_monthly", "Tình hình an ninh trật tự theo tháng", "Security and order per month", "cong_an", "monthly",
            OrgUnits(level="district"),
            (
             Element("incidents", "Số vụ việc phát hiện", "Incidents detected", unit="vụ", max=2000),
             Element("solved", "Số vụ đã điều tra làm rõ", "Incidents solved", unit="vụ", max=2000),
             ),
            rules=(Rule.le("solved", "incidents", "Số vụ làm rõ không được lớn hơn số vụ phát hiện", "Solved incidents cannot exceed incidents detected"),),
            due_days=10, domain="security"),
)


DOMAIN = Domain(
    id="security", title_vi="An ninh, trật tự", title_en="Security and order",
    layers=LAYERS + report_layers(DATASETS, domain="security", access="restricted", roles=("security",)), card_layers=("security-incidents",), card=card, series=SERIES, ranking=RANKING,
    drill_down=("province", "district", "commune", "incident"), records=RECORDS,
    datasets=DATASETS,
)
