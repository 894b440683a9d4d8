from django.db import migrations

VIEWS = {
    "ioc_road_density": """
        SELECT s.id, s.road, s.km_from, s.km_to,
               count(a.id) FILTER (WHERE a.occurred_at > last.m - interval '12 months')::int AS accidents_12m,
               round((count(a.id) FILTER (WHERE a.occurred_at > last.m - interval '12 months')
                      / greatest(s.km_to - s.km_from, 0.1))::numeric, 2)::float AS accidents_per_km,
               s.geom
          FROM layers_roadsegment s
          CROSS JOIN (SELECT max(occurred_at) AS m FROM layers_trafficaccident) last
          LEFT JOIN layers_trafficaccident a ON ST_DWithin(a.geom::geography, s.geom::geography, 100)
         GROUP BY s.id, last.m""",
    "ioc_facility_monthly": """
        SELECT m.id, f.name, f.kind, m.month, m.examinations, m.inpatients, f.commune_id, f.geom
          FROM layers_facilitymonthly m JOIN layers_healthfacility f ON f.id = m.facility_id""",
}


class Migration(migrations.Migration):
    dependencies = [("layers", "0012_road_segments")]

    operations = [migrations.RunSQL([f"CREATE OR REPLACE VIEW {k} AS {v}" for k, v in VIEWS.items()],
                                    [f"DROP VIEW IF EXISTS {k}" for k in VIEWS])]
