"""Organizers may view, change and delete submissions, bests, answer keys and re-runs."""

from django.db import migrations

from league.reference_data import grant_to_organizers, revoke_from_organizers

MODELS = ["submission", "teambest", "answerkey", "rerunjob"]
CODENAMES = [f"{a}_{m}" for a in ("view", "change", "delete") for m in MODELS] + ["add_answerkey"]


def grant(apps, schema_editor):
    grant_to_organizers(apps, app_label="submissions", codenames=CODENAMES)


def revoke(apps, schema_editor):
    revoke_from_organizers(apps, app_label="submissions")


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0001_initial"),
        ("league", "0003_role_groups"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
