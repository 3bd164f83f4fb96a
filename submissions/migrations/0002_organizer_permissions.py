"""Organizers may view, change and delete submissions, bests, answer keys and re-runs."""

from django.db import migrations

MODELS = ["submission", "teambest", "answerkey", "rerunjob"]
ACTIONS = ["view", "change", "delete"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("submissions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    organizers, _ = Group.objects.get_or_create(name="Organizers")
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    codenames.append("add_answerkey")
    organizers.permissions.add(
        *Permission.objects.filter(content_type__app_label="submissions", codename__in=codenames)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    organizers = Group.objects.filter(name="Organizers").first()
    if organizers:
        organizers.permissions.remove(
            *Permission.objects.filter(content_type__app_label="submissions")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0001_initial"),
        ("league", "0003_role_groups"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
