"""Organizers may view, change and delete submissions, bests, answer keys and re-runs."""

from django.db import migrations

from league.reference_data import grant_to_organizers, revoke_from_organizers

MODELS = ["submission", "teambest", "answerkey", "rerunjob"]
ACTIONS = ["view", "change", "delete"]


def grant(apps, schema_editor):
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    grant_to_organizers(apps, app_label="submissions", codenames=[*codenames, "add_answerkey"])


def revoke(apps, schema_editor):
    revoke_from_organizers(apps, app_label="submissions")


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0001_initial"),
        ("league", "0003_role_groups"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
