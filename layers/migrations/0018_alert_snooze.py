"""Alerts snooze and closing that sticks: `snoozed_until` / `snoozed_by`, and `cause_cleared_at`
(empty on an alert staff closed while its cause persists, which holds its key)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Alerts closed before this migration: those the rules closed had their cause clear when they were
# closed; those staff closed stay held, unless a later alert with the same key has been opened since
# (the old behaviour reopened them; the newer alert now stands for the cause).
MARK_CLEARED = """
UPDATE layers_alert a SET cause_cleared_at = a.resolved_at
WHERE a.resolved_at IS NOT NULL
  AND (a.resolved_by_id IS NULL
       OR EXISTS (SELECT 1 FROM layers_alert b WHERE b.key = a.key AND b.opened_at > a.opened_at))
"""


class Migration(migrations.Migration):
    dependencies = [
        ("layers", "0017_search"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="alert",
            name="cause_cleared_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="hết nguyên nhân lúc",
                help_text="when the rule stopped firing for this key (empty on an alert staff closed while its "
                          "cause persists: the key is held)"),
        ),
        migrations.AddField(
            model_name="alert",
            name="snoozed_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name="alert",
            name="snoozed_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="hoãn đến"),
        ),
        migrations.AddIndex(
            model_name="alert",
            index=models.Index(condition=models.Q(("cause_cleared_at__isnull", True), ("resolved_at__isnull", False)),
                               fields=["key"], name="alert_held_key"),
        ),
        migrations.RunSQL(MARK_CLEARED, migrations.RunSQL.noop),
    ]
