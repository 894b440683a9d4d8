"""Search (placeholder; filled by the search work)"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("layers", "0016_parcels_web_mercator")]

    operations = []
