"""Organizers run judging: settings, rubrics, judges, aliases, conflicts,
entries and assignments; they read reviews (never edit a judge's scores)."""

from django.db import migrations

from league.reference_data import grant_to_organizers, revoke_from_organizers

EDITED = [
    "challengejudging",
    "trackrubric",
    "challengerubric",
    "criterion",
    "criterionlevel",
    "judge",
    "institutiondomainalias",
    "conflict",
    "assignment",
]
CODENAMES = [
    *(f"{a}_{m}" for a in ("view", "add", "change", "delete") for m in EDITED),
    *(f"view_{m}" for m in ("entry", "review", "criterionscore", "reviewchange")),
    "change_entry",
]


def grant(apps, schema_editor):
    grant_to_organizers(apps, app_label="judging", codenames=CODENAMES)


def revoke(apps, schema_editor):
    revoke_from_organizers(apps, app_label="judging")


class Migration(migrations.Migration):
    dependencies = [
        ("judging", "0001_judging_models"),
        ("league", "0003_role_groups"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
