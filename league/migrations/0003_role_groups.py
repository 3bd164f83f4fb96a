"""Roles as groups. Organizers may change the league's configuration."""

from django.db import migrations

from league.reference_data import (
    ROLE_GROUPS,
    grant_to_organizers,
    revoke_from_organizers,
    seed_role_groups,
)

MODELS = ["season", "track", "challenge", "phase", "countryregion"]
CODENAMES = [f"{a}_{m}" for a in ("add", "change", "delete", "view") for m in MODELS]


def create_groups(apps, schema_editor):
    seed_role_groups(apps.get_model("auth", "Group"))
    grant_to_organizers(apps, app_label="league", codenames=CODENAMES)


def remove_groups(apps, schema_editor):
    revoke_from_organizers(apps, app_label="league")
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("league", "0002_country_regions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
