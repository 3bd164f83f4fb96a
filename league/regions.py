"""The default country→region table and roles, shared by the migrations that
seed them and by tests that restore them after a flush."""

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
