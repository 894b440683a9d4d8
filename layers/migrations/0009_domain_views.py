"""Commune triggers for the new feature tables, and the SQL views that publish domain measures
as map layers (admin-unit or site geometry joined with values over time)."""

from django.db import migrations

TRIGGERS = ["layers_servicecentre", "layers_citizenreport", "layers_planningzone"]

VIEWS = {
    "ioc_indicator_values": """
        SELECT v.id, i.code AS indicator, i.name_vi AS indicator_name, i.unit AS measure_unit,
               u.code AS unit_code, u.name AS unit_name, u.level, v.period, v.value, v.plan,
               CASE WHEN v.plan > 0 THEN round((100 * v.value / v.plan)::numeric, 1)::float END AS pct_of_plan,
               u.geom
          FROM layers_indicatorvalue v
          JOIN layers_indicator i ON i.id = v.indicator_id
          JOIN layers_adminunit u ON u.id = v.unit_id""",
    "ioc_service_centres": """
        SELECT c.id, c.name, c.level, u.code AS unit_code, u.name AS unit_name,
               coalesce(s.backlog, 0) AS backlog, coalesce(s.overdue, 0) AS overdue,
               s.on_time_pct, c.commune_id, c.geom
          FROM layers_servicecentre c
          JOIN layers_adminunit u ON u.id = c.unit_id
          LEFT JOIN LATERAL (
            SELECT count(*) FILTER (WHERE d.status = 'processing') AS backlog,
                   count(*) FILTER (WHERE d.status = 'processing' AND d.due_at < now()) AS overdue,
                   round((100.0 * count(*) FILTER (WHERE d.status = 'resolved' AND d.resolved_at <= d.due_at)
                          / nullif(count(*) FILTER (WHERE d.status = 'resolved'), 0))::numeric, 1)::float AS on_time_pct
              FROM layers_dossier d WHERE d.centre_id = c.id) s ON true""",
    "ioc_disease_weekly": """
        SELECT w.id, w.disease, w.week, w.cases, w.threshold, w.cases > w.threshold AS outbreak,
               u.code AS unit_code, u.name AS unit_name, u.geom
          FROM layers_diseaseweekly w JOIN layers_adminunit u ON u.id = w.commune_id""",
    "ioc_school_years": """
        SELECT y.id, s.name, s.level, y.year, y.enrolment, y.teachers,
               round((y.enrolment::numeric / nullif(y.teachers, 0)), 1)::float AS pupils_per_teacher,
               s.commune_id, s.geom
          FROM layers_schoolyear y JOIN layers_school s ON s.id = y.school_id""",
    "ioc_cyber_monthly": """
        SELECT (u.id * 1000000 + extract(year FROM g.month)::int * 100 + extract(month FROM g.month)::int)::bigint AS id,
               g.month, u.code AS unit_code, u.name AS unit_name, g.detected, g.handled, g.malware, g.phishing,
               g.intrusion, u.geom
          FROM (SELECT district_id, date_trunc('month', day)::date AS month,
                       sum(detected)::int AS detected, sum(handled)::int AS handled,
                       sum(detected) FILTER (WHERE threat = 'malware')::int AS malware,
                       sum(detected) FILTER (WHERE threat = 'phishing')::int AS phishing,
                       sum(detected) FILTER (WHERE threat = 'intrusion')::int AS intrusion
                  FROM layers_cyberdaily GROUP BY 1, 2) g
          JOIN layers_adminunit u ON u.id = g.district_id""",
    "ioc_media_weekly": """
        SELECT (u.id * 10000000 + (g.week - date '2000-01-03'))::bigint AS id, g.week,
               u.code AS unit_code, u.name AS unit_name, g.mentions, g.negative, g.positive, u.geom
          FROM (SELECT district_id, date_trunc('week', day)::date AS week, sum(mentions)::int AS mentions,
                       sum(mentions) FILTER (WHERE sentiment = 'negative')::int AS negative,
                       sum(mentions) FILTER (WHERE sentiment = 'positive')::int AS positive
                  FROM layers_mediadaily GROUP BY 1, 2) g
          JOIN layers_adminunit u ON u.id = g.district_id""",
    "ioc_tourism_monthly": """
        SELECT t.id, s.name, s.kind, t.month, t.visitors, t.revenue_mvnd, s.commune_id, s.geom
          FROM layers_tourismmonthly t JOIN layers_touristsite s ON s.id = t.site_id""",
}

CONFLICTS = """
    CREATE MATERIALIZED VIEW ioc_land_conflicts AS
    SELECT DISTINCT ON (p.id) p.id, p.sheet, p.number, p.land_use AS current_use, z.planned_use, z.name AS zone, z.plan,
           p.area_m2, p.commune_id, p.geom
      FROM layers_landparcel p
      JOIN layers_planningzone z ON ST_Intersects(z.geom, ST_PointOnSurface(p.geom))
     WHERE p.land_use <> z.planned_use
       AND NOT (z.planned_use IN ('ODT', 'ONT') AND p.land_use IN ('ODT', 'ONT', 'TMD'))
     ORDER BY p.id, z.id
    WITH NO DATA;
    CREATE UNIQUE INDEX ioc_land_conflicts_id ON ioc_land_conflicts (id);
    CREATE INDEX ioc_land_conflicts_geom ON ioc_land_conflicts USING gist (geom);
"""


def forwards_sql() -> list[str]:
    out = []
    for t in TRIGGERS:
        out.append(f"CREATE TRIGGER {t}_commune BEFORE INSERT OR UPDATE OF geom ON {t} "
                   f"FOR EACH ROW EXECUTE FUNCTION ioc_assign_commune()")
    for name, sql in VIEWS.items():
        out.append(f"CREATE OR REPLACE VIEW {name} AS {sql}")
    out.append(CONFLICTS)
    return out


def backwards_sql() -> list[str]:
    out = ["DROP MATERIALIZED VIEW IF EXISTS ioc_land_conflicts"]
    out += [f"DROP VIEW IF EXISTS {name}" for name in VIEWS]
    out += [f"DROP TRIGGER IF EXISTS {t}_commune ON {t}" for t in TRIGGERS]
    return out


class Migration(migrations.Migration):
    dependencies = [("layers", "0008_domains")]

    operations = [migrations.RunSQL(forwards_sql(), backwards_sql())]
