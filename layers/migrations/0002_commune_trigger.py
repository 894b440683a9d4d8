"""Every feature table links to its commune by a spatial join done in the database, so that
inserts and geometry changes from any path (ORM, import, OGC, raw SQL) are covered."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION ioc_assign_commune() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.geom IS NULL THEN
    NEW.commune_id := NULL;
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.commune_id IS NOT NULL
     AND ST_Equals(NEW.geom, OLD.geom) THEN
    RETURN NEW;
  END IF;
  SELECT u.id INTO NEW.commune_id
    FROM layers_adminunit u
   WHERE u.level = 'commune'
     AND ST_Intersects(u.geom, ST_PointOnSurface(NEW.geom))
   ORDER BY u.id
   LIMIT 1;
  RETURN NEW;
END $$;
"""

TABLES = [
    "layers_school",
    "layers_healthfacility",
    "layers_touristsite",
    "layers_trafficaccident",
    "layers_blackspot",
    "layers_trafficcamera",
    "layers_landparcel",
]


def trigger_sql(table: str) -> str:
    name = table.replace('"', "").replace(".", "_")
    return (
        f"DROP TRIGGER IF EXISTS {name}_commune ON {table};"
        f"CREATE TRIGGER {name}_commune BEFORE INSERT OR UPDATE OF geom ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION ioc_assign_commune();"
    )


class Migration(migrations.Migration):
    dependencies = [("layers", "0001_initial")]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS ioc_assign_commune() CASCADE"),
        migrations.RunSQL(
            "CREATE SCHEMA IF NOT EXISTS imported", "DROP SCHEMA IF EXISTS imported CASCADE"
        ),
        *[migrations.RunSQL(trigger_sql(t), f"DROP TRIGGER IF EXISTS {t}_commune ON {t}") for t in TABLES],
    ]
