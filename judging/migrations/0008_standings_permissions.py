"""Organizers preview and publish final standings, and edit each challenge's
standings method, the tracks' awards and the talent awards."""

from django.db import migrations

from league.reference_data import grant_to_organizers

EDITED = ["standingsmethod", "trackawards", "talentaward"]
CODENAMES = [
    *(f"{a}_{m}" for a in ("view", "add", "change", "delete") for m in EDITED),
    "view_standingssnapshot",
    "view_challengestandings",
    "publish_standings",
]


def grant(apps, schema_editor):
    grant_to_organizers(apps, app_label="judging", codenames=CODENAMES)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    organizers = Group.objects.filter(name="Organizers").first()
    if organizers:
        organizers.permissions.remove(
            *Permission.objects.filter(content_type__app_label="judging", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("judging", "0007_standings_snapshots"),
        ("league", "0003_role_groups"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
