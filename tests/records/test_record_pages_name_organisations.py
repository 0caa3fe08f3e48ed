"""Record pages name an organisation by its name; its slug is a code for the API and filters."""

import pytest

from app.records import services
from app.registry.models import Organisation
from tests import factories
from tests.accounting.shapes import HUONG_HOA_LAT, HUONG_HOA_LON, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def mag_release():
    Organisation.objects.create(slug="mag", name="Mines Advisory Group", kind="ngo")
    Organisation.objects.create(slug="renew", name="Project RENEW", kind="ngo")
    return factories.release(square(HUONG_HOA_LON, HUONG_HOA_LAT), org="mag")


def test_the_record_page_shows_the_organisations_name(client, mag_release):
    page = client.get(f"/records/releases/{mag_release.pk}/").content.decode()

    assert (
        '<th scope="row" title="organisation">Organisation</th><td>Mines Advisory Group</td>'
        in (page)
    )
    assert "<td>mag</td>" not in page


def test_the_history_names_the_organisations_a_record_moved_between(client, analyst, mag_release):
    services.change_record(
        layer="releases",
        record_id=mag_release.pk,
        user=analyst,
        changes={"organisation": "renew"},
        reason="RENEW did the clearance",
    )

    page = client.get(f"/records/releases/{mag_release.pk}/").content.decode()

    assert "Mines Advisory Group → Project RENEW" in page
    assert "mag → renew" not in page


def test_the_list_of_records_shows_the_organisations_name(client, mag_release):
    page = client.get("/records/releases/").content.decode()

    assert "<td>Mines Advisory Group</td>" in page
    # The filter still takes the slug, the organisation's code.
    assert '<option value="mag"' in page
