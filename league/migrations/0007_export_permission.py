"""Organizers may export league data (the exports page, admin actions and API)."""

from django.db import migrations

from league.reference_data import grant_to_organizers

CODENAMES = ["export_data", "view_exportjob"]


def grant(apps, schema_editor):
    grant_to_organizers(apps, app_label="league", codenames=CODENAMES)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    organizers = Group.objects.filter(name="Organizers").first()
    if organizers:
        organizers.permissions.remove(
            *Permission.objects.filter(content_type__app_label="league", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [("league", "0006_export_jobs")]
    operations = [migrations.RunPython(grant, revoke)]
