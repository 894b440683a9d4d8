from django.db import migrations

VIEWS = {
    "ioc_population_by_commune": """
        SELECT z.id, u.code AS unit_code, u.name AS unit_name, round(z.total)::int AS population,
               round((z.total / nullif(u.area_km2, 0))::numeric, 1)::float AS density_km2, u.geom
          FROM rasters_zonalresult z JOIN rasters_rasterdataset r ON r.id = z.raster_id
          JOIN layers_adminunit u ON u.id = z.unit_id
         WHERE r.slug = 'population' AND u.level = 'commune'""",
    "ioc_land_cover_by_district": """
        SELECT z.id, u.code AS unit_code, u.name AS unit_name, z.dominant AS dominant_class,
               (z.shares ->> '2')::float AS built_up_pct, (z.shares ->> '4')::float AS perennial_pct,
               coalesce((z.shares ->> '5')::float, 0) + coalesce((z.shares ->> '6')::float, 0) AS forest_pct, u.geom
          FROM rasters_zonalresult z JOIN rasters_rasterdataset r ON r.id = z.raster_id
          JOIN layers_adminunit u ON u.id = z.unit_id
         WHERE r.slug = 'land-cover' AND u.level = 'district'""",
}


class Migration(migrations.Migration):
    dependencies = [("rasters", "0002_zonal_results"), ("layers", "0014_service_index_points")]

    operations = [migrations.RunSQL([f"CREATE OR REPLACE VIEW {k} AS {v}" for k, v in VIEWS.items()],
                                    [f"DROP VIEW IF EXISTS {k}" for k in VIEWS])]
