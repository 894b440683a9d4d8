"""Issue 11: the land domain counts parcel registrations per month (updated_at, the last change
of a parcel's record); an index keeps that an index-only scan on 1,000,000 parcels."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("layers", "0018_alert_snooze")]

    operations = [
        migrations.AddIndex(
            model_name="landparcel",
            index=models.Index(fields=["updated_at"], name="landparcel_updated_at"),
        ),
    ]
