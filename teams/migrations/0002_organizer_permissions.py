"""Organizers may view and change the teams models (to verify registrations)."""

from django.db import migrations

from league.reference_data import grant_to_organizers, revoke_from_organizers

MODELS = ["organisation", "profile", "team", "membership", "invitation", "registration"]
CODENAMES = [f"{a}_{m}" for a in ("view", "change") for m in MODELS]


def grant(apps, schema_editor):
    grant_to_organizers(apps, app_label="teams", codenames=CODENAMES)


def revoke(apps, schema_editor):
    revoke_from_organizers(apps, app_label="teams")


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0001_initial"),
        ("league", "0003_role_groups"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
