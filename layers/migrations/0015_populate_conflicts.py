"""An unpopulated materialized view makes every read of it fail: populate it at migration time
(instant on a new database; load_demo and the planning services refresh it afterwards)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("layers", "0014_service_index_points")]

    operations = [migrations.RunSQL("REFRESH MATERIALIZED VIEW ioc_land_conflicts", migrations.RunSQL.noop)]
