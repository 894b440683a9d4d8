from django.db import migrations

class Migration(migrations.Migration):
    dependencies = [("layers", "0003_blackspotevent_editscope_featurephoto_and_more")]

    operations = [
        migrations.RunSQL(
            "CREATE TRIGGER layers_securityincident_commune BEFORE INSERT OR UPDATE OF geom "
            "ON layers_securityincident FOR EACH ROW EXECUTE FUNCTION ioc_assign_commune();",
            "DROP TRIGGER IF EXISTS layers_securityincident_commune ON layers_securityincident",
        ),
    ]
