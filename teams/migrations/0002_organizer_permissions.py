"""Organizers may view and change the teams models (to verify registrations)."""

from django.db import migrations

ORGANIZER_MODELS = ["organisation", "profile", "team", "membership", "invitation", "registration"]
ACTIONS = ("view", "change")


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    organizers, _ = Group.objects.get_or_create(name="Organizers")
    organizers.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="teams",
            codename__in=[f"{a}_{m}" for a in ACTIONS for m in ORGANIZER_MODELS],
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    organizers = Group.objects.filter(name="Organizers").first()
    if organizers:
        organizers.permissions.remove(
            *Permission.objects.filter(content_type__app_label="teams")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0001_initial"),
        ("league", "0003_role_groups"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
