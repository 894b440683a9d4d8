"""Press and social media: mentions per district, source and sentiment; an alert when a
district's negative mentions double week over week."""

from django.utils.translation import gettext_lazy as _

from layers.registry import Style, TimeMap, layer_from_view
from operations.domain import (
    CardFigures,
    Column,
    Domain,
    Figure,
    Firing,
    RankingDef,
    RecordsDef,
    SeriesDef,
    district_filter,
    pct_change,
    read_rows,
    rows,
)
from operations.intake.report_layers import report_layers
from operations.intake.spec import DataSet, Element, OrgUnits, Rule

RED_FROM_NEGATIVE_CHANGE_PCT = 100  # negative mentions against the week before, the card's state
AMBER_ABOVE_NEGATIVE_CHANGE_PCT = 20
ALERT_MIN_NEGATIVE = 10  # negative mentions in a week before an alert
ALERT_FACTOR = 2  # ... and this many times the week before

LAYERS = (
    layer_from_view(
        id="media-mentions", title_vi="Đề cập trên báo chí, mạng xã hội", title_en="Press and social-media mentions",
        department="Sở Thông tin và Truyền thông", cadence="weekly",
        domain="media", table="ioc_media_weekly", geometry_type="MultiPolygon", time_field="week", access="internal",
        title_field="unit_name",
        fields=(("week", "string", _("tuần"), "", "date"), ("unit_code", "string", _("mã đơn vị")),
                ("unit_name", "string", _("đơn vị")), ("mentions", "integer", _("lượt đề cập"), _("lượt")),
                ("negative", "integer", _("tiêu cực"), _("lượt")), ("positive", "integer", _("tích cực"), _("lượt"))),
        style=Style(color="#97266d", fill="#ed64a6", weight=1),
        time_map=TimeMap(period="week", measures=("mentions", "negative", "positive")),
    ),
)


PLATFORMS = (("news", _("Báo điện tử")), ("facebook", _("Facebook")), ("youtube", _("YouTube")),
             ("forum", _("Diễn đàn")))
SENTIMENTS = (("positive", _("Tích cực")), ("neutral", _("Trung lập")), ("negative", _("Tiêu cực")))
TOPICS = (("dat_dai", _("Đất đai")), ("giao_thong", _("Giao thông")), ("y_te", _("Y tế")), ("giao_duc", _("Giáo dục")),
          ("moi_truong", _("Môi trường")), ("dau_tu", _("Đầu tư")), ("an_ninh", _("An ninh")))


def card(district: int | None) -> CardFigures:
    """Mentions of the last 7 days by platform, the negative share, and the negative mentions
    against the 7 days before."""
    f, p = district_filter("m.district_id", district)
    found = read_rows(f"""WITH last AS (SELECT max(day) AS d FROM layers_mediadaily)
                 SELECT (m.day > last.d - 7), m.source, sum(m.mentions),
                        sum(m.mentions) FILTER (WHERE m.sentiment = 'negative')
                   FROM layers_mediadaily m CROSS JOIN last WHERE m.day > last.d - 14{f} GROUP BY 1, 2""", p)
    week = {s: (t, n) for recent, s, t, n in found if recent}
    tot = sum(t for t, _n in week.values()) if week else None
    neg = sum(n or 0 for _t, n in week.values()) if week else None
    pneg = sum(n or 0 for recent, _s, _t, n in found if not recent) if found else None
    share = 100.0 * neg / tot if tot else None
    change = pct_change(neg, pneg)
    state = ("grey" if change is None else "red" if change >= RED_FROM_NEGATIVE_CHANGE_PCT
             else "amber" if change > AMBER_ABOVE_NEGATIVE_CHANGE_PCT else "green")
    days = str(_("7 ngày qua"))
    figures = [Figure(str(_("Lượt đề cập")), tot, str(_("lượt")), days)]
    figures += [Figure(str(label), week.get(code, (0, 0))[0] if week else None, str(_("lượt")), days)
                for code, label in PLATFORMS]
    figures += [Figure(str(_("Tỷ lệ tiêu cực")), round(share, 1) if share is not None else None, "%", days),
                Figure(str(_("Đề cập tiêu cực")), neg, str(_("lượt")), days, state=state, change_pct=change,
                       change_vs=str(_("7 ngày trước đó")))]
    return CardFigures(figures, None, "", state)


SERIES = SeriesDef("""SELECT date_trunc('month', m.day)::date, sum(m.mentions) FILTER (WHERE m.sentiment = 'negative')
                      FROM layers_mediadaily m WHERE m.day >= date_trunc('month', now()) - interval '24 months' {f_district_m} GROUP BY 1 ORDER BY 1""",
                   _("Đề cập tiêu cực"), _("lượt"))

RANKING = RankingDef("""SELECT u.id, u.code, u.name, sum(m.mentions) FROM layers_mediadaily m
                          JOIN layers_adminunit u ON u.id = m.district_id
                         WHERE m.sentiment = 'negative' AND m.day > (SELECT max(day) FROM layers_mediadaily) - 7
                         {f_district_m} GROUP BY u.id ORDER BY 4 DESC, u.code""",
                     _("Đề cập tiêu cực 7 ngày qua"), _("lượt"), drill_url="/dashboard/media/unit/{code}/")

RECORDS = (RecordsDef(
    _("Đề cập 7 ngày qua theo ngày, nền tảng, chủ đề và sắc thái (tiêu cực trước)"),
    """WITH last AS (SELECT max(day) AS d FROM layers_mediadaily)
       SELECT count(*) OVER (), (m.district_id * 10000000 + (date_trunc('week', m.day)::date - date '2000-01-03'))::bigint,
              m.day, m.source, m.topic, m.sentiment, m.mentions
         FROM layers_mediadaily m CROSS JOIN last
        WHERE m.district_id = %(u)s AND m.day > last.d - 7
        ORDER BY m.sentiment = 'negative' DESC, m.day DESC, m.mentions DESC, m.source LIMIT %(n)s""",
    (Column(_("Ngày"), kind="date"), Column(_("Nền tảng"), choices=PLATFORMS),
     Column(_("Chủ đề"), choices=TOPICS),
     Column(_("Sắc thái"), choices=SENTIMENTS),
     Column(_("Lượt đề cập"), _("lượt"), kind="number")),
    layer="media-mentions"),)


def negative_media_doubling() -> list[Firing]:
    """Negative mentions of a district doubling week over week (at least ALERT_MIN_NEGATIVE)."""
    out = []
    for uid, name, this, prev, wkt in rows("""
        WITH last AS (SELECT max(day) AS d FROM layers_mediadaily)
        SELECT u.id, u.name,
               sum(m.mentions) FILTER (WHERE m.day > last.d - 7),
               sum(m.mentions) FILTER (WHERE m.day <= last.d - 7 AND m.day > last.d - 14),
               ST_AsText(ST_PointOnSurface(u.geom))
          FROM layers_mediadaily m CROSS JOIN last JOIN layers_adminunit u ON u.id = m.district_id
         WHERE m.sentiment = 'negative' AND m.day > last.d - 14
         GROUP BY u.id"""):
        if this and this >= ALERT_MIN_NEGATIVE and this >= ALERT_FACTOR * (prev or 0):
            out.append(Firing(f"negative_media:{uid}", "negative_media_doubling", "media", "warning",
                              f"Đề cập tiêu cực về {name} tăng từ {prev or 0} lên {this} lượt/tuần",
                              this, ALERT_FACTOR * (prev or 0), uid, wkt))
    return out



DATASETS = (
    DataSet("media_monthly", "Thông tin báo chí, mạng xã hội theo tháng", "Press and social media per month", "so_tttt", "monthly",
            OrgUnits(level="district"),
            (
             Element("articles", "Số tin, bài về địa phương", "Articles about the district", unit="tin, bài", max=100000),
             Element("negative", "Số tin, bài tiêu cực", "Negative articles", unit="tin, bài", max=100000),
             ),
            rules=(Rule.le("negative", "articles", "Số tin, bài tiêu cực không được lớn hơn tổng số tin, bài", "Negative articles cannot exceed all articles"),),
            due_days=10, domain="media"),
)


DOMAIN = Domain(
    id="media", title_vi="Báo chí, mạng xã hội", title_en="Press and social media",
    layers=LAYERS + report_layers(DATASETS, domain="media"), card_layers=("media-mentions",), card=card, series=SERIES, ranking=RANKING,
    rules=(negative_media_doubling,), drill_down=("province", "district", "mention"), records=RECORDS,
    datasets=DATASETS,
)
