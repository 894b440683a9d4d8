"""On-time dossiers carry up to 20 of the 100 points of the national service index: publish them."""

from django.db import migrations

VIEW = """
CREATE OR REPLACE VIEW ioc_service_centres AS
SELECT c.id, c.name, c.level, u.code AS unit_code, u.name AS unit_name,
       coalesce(s.backlog, 0) AS backlog, coalesce(s.overdue, 0) AS overdue,
       s.on_time_pct, round((coalesce(s.on_time_pct, 0) * 0.2)::numeric, 1)::float AS index_points,
       c.commune_id, c.geom
  FROM layers_servicecentre c
  JOIN layers_adminunit u ON u.id = c.unit_id
  LEFT JOIN LATERAL (
    SELECT count(*) FILTER (WHERE d.status = 'processing') AS backlog,
           count(*) FILTER (WHERE d.status = 'processing' AND d.due_at < now()) AS overdue,
           round((100.0 * count(*) FILTER (WHERE d.status = 'resolved' AND d.resolved_at <= d.due_at)
                  / nullif(count(*) FILTER (WHERE d.status = 'resolved'), 0))::numeric, 1)::float AS on_time_pct
      FROM layers_dossier d WHERE d.centre_id = c.id) s ON true
"""


class Migration(migrations.Migration):
    dependencies = [("layers", "0013_traffic_health_views")]

    operations = [migrations.RunSQL(["DROP VIEW IF EXISTS ioc_service_centres", VIEW], migrations.RunSQL.noop)]
