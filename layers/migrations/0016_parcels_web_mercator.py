"""Vector tiles of the biggest layer read a stored Web Mercator copy of the geometry (kept by
PostgreSQL itself), instead of transforming every parcel on every tile request."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("layers", "0015_populate_conflicts")]

    operations = [migrations.RunSQL(
        ["ALTER TABLE layers_landparcel ADD COLUMN IF NOT EXISTS geom_3857 geometry(MultiPolygon, 3857) "
         "GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED",
         "CREATE INDEX IF NOT EXISTS layers_landparcel_geom_3857 ON layers_landparcel USING gist (geom_3857)"],
        ["DROP INDEX IF EXISTS layers_landparcel_geom_3857",
         "ALTER TABLE layers_landparcel DROP COLUMN IF EXISTS geom_3857"],
    )]
