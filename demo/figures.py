"""The demo's monthly figures per domain, province-wide: to check magnitudes and seasons by eye
(`manage.py demo_figures`) and in the tests."""

from __future__ import annotations

from django.db import connection

# domain: (columns, SQL of (month, figures...) rows in time order)
MONTHLY = {
    "traffic": (("accidents", "deaths", "injuries"), """
        SELECT date_trunc('month', occurred_at)::date, count(*), sum(deaths), sum(injuries)
          FROM layers_trafficaccident GROUP BY 1 ORDER BY 1"""),
    "security": (("incidents",), """
        SELECT date_trunc('month', occurred_at)::date, count(*) FROM layers_securityincident GROUP BY 1 ORDER BY 1"""),
    "public_services": (("received", "late %", "online %"), """
        SELECT date_trunc('month', received_at)::date, count(*),
               round(100.0 * count(*) FILTER (WHERE coalesce(resolved_at, now()) > due_at) / count(*), 1),
               round(100.0 * count(*) FILTER (WHERE channel = 'online') / count(*), 1)
          FROM layers_dossier GROUP BY 1 ORDER BY 1"""),
    "citizen": (("reports", "open"), """
        SELECT date_trunc('month', received_at)::date, count(*),
               count(*) FILTER (WHERE status NOT IN ('resolved', 'rejected'))
          FROM layers_citizenreport GROUP BY 1 ORDER BY 1"""),
    "health": (("dengue", "hfmd", "examinations"), """
        SELECT m, d, h, e FROM (
          SELECT date_trunc('month', week)::date AS m, sum(cases) FILTER (WHERE disease = 'dengue') AS d,
                 sum(cases) FILTER (WHERE disease = 'hfmd') AS h FROM layers_diseaseweekly GROUP BY 1) w
          FULL JOIN (SELECT month AS m, sum(examinations) AS e FROM layers_facilitymonthly GROUP BY 1) f USING (m)
         ORDER BY 1"""),
    "education": (("pupils", "teachers", "pupils/teacher"), """
        SELECT make_date(year, 9, 1), sum(enrolment), sum(teachers), round(sum(enrolment)::numeric / sum(teachers), 1)
          FROM layers_schoolyear GROUP BY 1 ORDER BY 1"""),
    "land": (("parcels changed",), """
        SELECT date_trunc('month', updated_at)::date, count(*) FROM layers_landparcel
         WHERE updated_at >= date_trunc('month', now()) - interval '24 months' GROUP BY 1 ORDER BY 1"""),
    "cyber": (("detected", "handled", "handled since start"), """
        SELECT m, d, h, sum(h) OVER (ORDER BY m) FROM (
          SELECT date_trunc('month', day)::date AS m, sum(detected) AS d, sum(handled) AS h
            FROM layers_cyberdaily GROUP BY 1) c ORDER BY 1"""),
    "media": (("mentions", "facebook", "news", "youtube", "forum", "negative %"), """
        SELECT date_trunc('month', day)::date, sum(mentions),
               sum(mentions) FILTER (WHERE source = 'facebook'), sum(mentions) FILTER (WHERE source = 'news'),
               sum(mentions) FILTER (WHERE source = 'youtube'), sum(mentions) FILTER (WHERE source = 'forum'),
               round(100.0 * sum(mentions) FILTER (WHERE sentiment = 'negative') / sum(mentions), 1)
          FROM layers_mediadaily GROUP BY 1 ORDER BY 1"""),
    "tourism": (("visitors", "revenue (million VND)"), """
        SELECT month, sum(visitors), round(sum(revenue_mvnd)) FROM layers_tourismmonthly GROUP BY 1 ORDER BY 1"""),
    "socioeconomic": (("budget %", "disbursement %", "IIP %", "retail %"), """
        SELECT v.period, round(avg(v.value) FILTER (WHERE i.code = 'budget_revenue_pct')::numeric, 1),
               round(avg(v.value) FILTER (WHERE i.code = 'disbursement_rate')::numeric, 1),
               round(avg(v.value) FILTER (WHERE i.code = 'iip_yoy')::numeric, 1),
               round(avg(v.value) FILTER (WHERE i.code = 'retail_growth')::numeric, 1)
          FROM layers_indicatorvalue v JOIN layers_indicator i ON i.id = v.indicator_id
          JOIN layers_adminunit u ON u.id = v.unit_id
         WHERE u.level = 'district' AND i.period_type = 'monthly' GROUP BY 1 ORDER BY 1"""),
}


def demo_monthly_figures(*, domain: str) -> tuple[tuple[str, ...], list[tuple]]:
    """(column names, rows of (month, figures...)) of one domain, province-wide."""
    columns, sql = MONTHLY[domain]
    with connection.cursor() as cur:
        cur.execute(sql)
        return columns, cur.fetchall()
