"""Seed the country→region table: China, the 11 ASEAN members, everyone else Other."""

from django.db import migrations

from league.reference_data import seed_country_regions


def seed(apps, schema_editor):
    seed_country_regions(apps.get_model("league", "CountryRegion"))


def unseed(apps, schema_editor):
    apps.get_model("league", "CountryRegion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("league", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
