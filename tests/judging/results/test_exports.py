"""The "final-standings" dataset of the league's exports: the preview or a
published version, with clear refusals."""

import pytest

from judging.results import services
from league.errors import ApplicationError
from league.exports import registry

pytestmark = pytest.mark.django_db


def test_final_standings_dataset_exports_the_preview_and_published_versions(finals, organizer):
    challenge, _phase, _registrations = finals
    dataset = registry.get("final-standings")
    assert dataset.permission == "league.export_data"
    assert organizer.has_perm(dataset.permission)

    preview = dataset.parse({"challenge": str(challenge.pk), "version": "preview"})
    assert [row[2] for row in dataset.rows(preview)] == [
        "ทีมแม่น้ำโขง",
        '=HYPERLINK("http://x")',
        "Lotus Lab",
    ]
    assert dataset.filename(preview) == "crop-yield-standings-preview"

    with pytest.raises(ApplicationError) as refused:
        dataset.parse({"challenge": str(challenge.pk)})
    assert refused.value.details == {"version": ["This version of the standings is not published."]}

    services.standings_publish(challenge=challenge, by=organizer)
    published = dataset.parse({"challenge": str(challenge.pk), "version": "1"})
    assert dataset.count(published) == 3
    assert dataset.filename(published) == "crop-yield-standings-v1"
    assert [c.key for c in dataset.columns(published)][:3] == ["rank", "medal", "team"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({}, "challenge"), ({"challenge": "nope"}, "challenge"), ({"version": "x"}, "version")],
)
def test_bad_parameters_name_the_field(finals, params, field):
    challenge, _phase, _registrations = finals
    params = {"challenge": str(challenge.pk), **params} if field == "version" else params
    with pytest.raises(ApplicationError) as refused:
        registry.get("final-standings").parse(params)
    assert refused.value.code == "invalid_export_params" and field in refused.value.details
