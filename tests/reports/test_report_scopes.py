"""Which records a report counts: approved by default, a field coordinator's own pending work
with include=submitted, the registry of a past day with as_recorded; the report says which."""

import datetime as dt
from datetime import date

import pytest

from gis.numbers import ENGLISH, format_number
from tests import factories
from tests.accounting.shapes import ha, square
from tests.factories import signed_in
from tests.history_clock import backdate_history
from tests.reports.conftest import CHA, LAT, LON
from tests.reports.text import docx_text, page_text

pytestmark = pytest.mark.django_db

APPROVED = square(LON - 0.01, LAT - 0.01, 0.004)
NPA_SUBMITTED = square(LON + 0.01, LAT - 0.01, 0.004)
MAG_SUBMITTED = square(LON - 0.01, LAT + 0.01, 0.003)
LATER = square(LON + 0.01, LAT + 0.01, 0.005)
REPORT = "/reports/annual/2023/"


def written_ha(hectares: float) -> str:
    return format_number(hectares, decimals=2, convention=ENGLISH)


@pytest.fixture
def pending_work():
    factories.hazard(CHA)
    factories.release(APPROVED, completed_on=date(2023, 3, 1), org="npa")
    factories.release(NPA_SUBMITTED, completed_on=date(2023, 4, 1), org="npa", status="submitted")
    factories.release(MAG_SUBMITTED, completed_on=date(2023, 5, 1), org="mag", status="submitted")


def test_by_default_the_report_counts_approved_records_only(client, pending_work):
    text = page_text(client.get(REPORT).content)

    assert written_ha(ha(APPROVED)) in text
    assert written_ha(ha(APPROVED) + ha(NPA_SUBMITTED)) not in text
    assert "The figures count approved records only." in text


def test_a_coordinator_with_include_submitted_counts_only_their_organisations_pending_work(
    pending_work,
):
    coordinator = signed_in("field_coordinator", org="npa")

    text = page_text(coordinator.get(REPORT, {"include": "submitted"}).content)

    assert written_ha(ha(APPROVED) + ha(NPA_SUBMITTED)) in text
    assert written_ha(ha(APPROVED) + ha(NPA_SUBMITTED) + ha(MAG_SUBMITTED)) not in text
    assert "include submitted work not yet approved (npa)" in text


def test_an_analyst_with_include_submitted_counts_every_organisations_pending_work(
    client, pending_work
):
    text = page_text(client.get(REPORT, {"include": "submitted"}).content)

    assert written_ha(ha(APPROVED) + ha(NPA_SUBMITTED) + ha(MAG_SUBMITTED)) in text
    assert "every organisation's" in text


def test_as_recorded_reproduces_the_report_as_it_stood_before_a_later_approval(client):
    factories.hazard(CHA)
    factories.release(APPROVED, completed_on=date(2023, 3, 1))
    backdate_history(days=400)
    day = dt.date.today() - dt.timedelta(days=200)
    published = client.get(REPORT, {"as_recorded": day.isoformat(), "format": "docx"}).content
    # Approved after the day the report was published, for work done in 2023.
    factories.release(LATER, completed_on=date(2023, 9, 1))

    republished = client.get(REPORT, {"as_recorded": day.isoformat(), "format": "docx"}).content
    again = page_text(client.get(REPORT, {"as_recorded": day.isoformat()}).content)
    today = page_text(client.get(REPORT).content)

    # The same report word for word, but for the moment it was generated.
    assert without_moment(docx_text(republished)) == without_moment(docx_text(published))
    assert written_ha(ha(APPROVED)) in again
    assert written_ha(ha(APPROVED) + ha(LATER)) not in again
    assert written_ha(ha(APPROVED) + ha(LATER)) in today
    assert f"as it stood at the end of {day.isoformat()}" in again


def without_moment(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith("Figures taken on")]
