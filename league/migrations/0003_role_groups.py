"""Roles as groups. Organizers may change the league's configuration."""

from django.db import migrations

from league.regions import ROLE_GROUPS, seed_role_groups

ORGANIZER_MODELS = {
    "league": ["season", "track", "challenge", "phase", "countryregion"],
}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    seed_role_groups(Group)
    organizers = Group.objects.get(name="Organizers")
    for app_label, models in ORGANIZER_MODELS.items():
        organizers.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, content_type__model__in=models
            )
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("league", "0002_country_regions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
