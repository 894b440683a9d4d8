"""The roles are Django groups; `security` is the named role that reads security incidents."""

from django.db import migrations

GROUPS = ("viewer", "operator", "editor", "administrator", "security")


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("layers", "0004_security_commune_trigger"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
