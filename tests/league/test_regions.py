"""The country→region table seeded by the migration, and editable as data
(read as the team rules read it)."""

import pytest

from league.models import CountryRegion, Region
from teams.selectors import region_table

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("country", "region"),
    [
        ("TL", Region.ASEAN),  # Timor-Leste, member since 2025-10-26
        ("VN", Region.ASEAN),
        ("SG", Region.ASEAN),
        ("MM", Region.ASEAN),
        ("HK", Region.CHINA),
        ("MO", Region.CHINA),
        ("CN", Region.CHINA),
        ("US", Region.OTHER),
        ("IN", Region.OTHER),
    ],
)
def test_seeded_regions(country, region):
    assert region_table().region(country) == region


def test_asean_has_its_eleven_members():
    codes = set(CountryRegion.objects.filter(region=Region.ASEAN).values_list("country", flat=True))
    assert codes == {"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN"}


def test_every_iso_country_has_a_region():
    assert CountryRegion.objects.count() >= 249
    assert CountryRegion.objects.filter(region=Region.OTHER).count() == (
        CountryRegion.objects.count() - 14
    )


def test_an_organizer_edit_changes_the_region():
    CountryRegion.objects.filter(country="TW").update(region=Region.CHINA)
    assert region_table().region("TW") == Region.CHINA
