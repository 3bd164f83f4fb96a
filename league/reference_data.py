"""Reference data the migrations seed: the country→region table, the role
groups and the organizers' permissions."""

from django_countries.data import COUNTRIES

CHINA_REGION = frozenset({"CN", "HK", "MO"})
# ASEAN has 11 members since Timor-Leste joined on 2025-10-26.
ASEAN_REGION = frozenset({"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN"})
ROLE_GROUPS = ("Participants", "Judges", "Organizers")


def default_region(code: str) -> str:
    if code in CHINA_REGION:
        return "china"
    if code in ASEAN_REGION:
        return "asean"
    return "other"


def seed_country_regions(country_region_model) -> int:
    rows = [
        country_region_model(country=code, name=str(name), region=default_region(code))
        for code, name in COUNTRIES.items()
    ]
    country_region_model.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def seed_role_groups(group_model) -> None:
    for name in ROLE_GROUPS:
        group_model.objects.get_or_create(name=name)


def grant_to_organizers(apps, *, app_label: str, codenames: list[str]) -> None:
    """Give the Organizers group these permissions of an app (for data migrations)."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    organizers, _ = Group.objects.get_or_create(name="Organizers")
    organizers.permissions.add(
        *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )


def revoke_from_organizers(apps, *, app_label: str) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    organizers = Group.objects.filter(name="Organizers").first()
    if organizers:
        organizers.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label))


def site_languages() -> list[tuple[str, str]]:
    """The languages the site offers, as model choices. A callable, so that
    offering another language never needs a migration."""
    from django.conf import settings

    return list(settings.LANGUAGES)
