"""Alerts snooze (placeholder)"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("layers", "0017_search")]

    operations = []
