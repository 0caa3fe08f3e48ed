"""Which records the statistics count: approved by default, pending work with include=submitted
(as far as the role allows), the registry of a past day with as_recorded; the JSON says which."""

import datetime as dt
import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from app.accounting.selectors import clearance_report, release_report
from app.registry.scopes import ReadingScope, reading
from tests import factories
from tests.history_clock import backdate_history

from .shapes import HUONG_HOA_LAT, HUONG_HOA_LON, ha, square

pytestmark = pytest.mark.django_db

LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT
CHA = square(LON, LAT, 0.02)
# Three releases inside the CHA that do not overlap: one approved, one submitted by each of two
# organisations.
APPROVED_CLEARED = square(LON - 0.01, LAT - 0.01, 0.004)
NPA_SUBMITTED = square(LON + 0.01, LAT - 0.01, 0.004)
MAG_SUBMITTED = square(LON - 0.01, LAT + 0.01, 0.003)
RELEASE_URL = "/api/v1/stats/release/"
AS_OF = {"as_of": "2023-12-31"}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def pending_work():
    factories.hazard(CHA)
    factories.release(APPROVED_CLEARED, completed_on=date(2023, 3, 1), org="npa")
    factories.release(NPA_SUBMITTED, completed_on=date(2023, 4, 1), org="npa", status="submitted")
    factories.release(MAG_SUBMITTED, completed_on=date(2023, 5, 1), org="mag", status="submitted")


def signed_in(role: str, **profile) -> Client:
    client = Client()
    client.force_login(factories.user(role, **profile))
    return client


def huong_hoa(body: dict) -> dict:
    return next(row for row in body["rows"] if row["code"] == "465")


def test_a_submitted_release_is_absent_by_default_and_counted_with_include_submitted(
    client, pending_work
):
    default = client.get(RELEASE_URL, AS_OF).json()
    with_pending = client.get(RELEASE_URL, {**AS_OF, "include": "submitted"}).json()

    assert huong_hoa(default)["released_ha"] == pytest.approx(ha(APPROVED_CLEARED), abs=0.01)
    assert huong_hoa(with_pending)["released_ha"] == pytest.approx(
        ha(APPROVED_CLEARED) + ha(NPA_SUBMITTED) + ha(MAG_SUBMITTED), abs=0.01
    )
    assert default["scope"] == {"records": "approved", "includes_submitted": False}
    assert with_pending["scope"] == {
        "records": "approved and submitted",
        "includes_submitted": True,
        "submitted_by": None,
        "label": "includes submitted work not yet approved",
    }


def test_a_coordinator_counts_only_their_own_organisations_submitted_work(pending_work):
    coordinator = signed_in("field_coordinator", org="npa")

    body = coordinator.get(RELEASE_URL, {**AS_OF, "include": "submitted"}).json()

    assert huong_hoa(body)["released_ha"] == pytest.approx(
        ha(APPROVED_CLEARED) + ha(NPA_SUBMITTED), abs=0.01
    )
    assert body["scope"]["submitted_by"] == ["npa"]


def test_a_coordinator_without_include_sees_approved_figures_like_everyone(pending_work):
    coordinator = signed_in("field_coordinator", org="npa")

    body = coordinator.get(RELEASE_URL, AS_OF).json()

    assert huong_hoa(body)["released_ha"] == pytest.approx(ha(APPROVED_CLEARED), abs=0.01)


@pytest.mark.parametrize("role", ["planner", "administrator"])
def test_a_role_that_reads_approved_data_only_is_refused_submitted_work(role, pending_work):
    response = signed_in(role).get(RELEASE_URL, {**AS_OF, "include": "submitted"})

    assert response.status_code == 403
    assert "include=submitted is for analysts and field coordinators" in response.json()["error"]


def test_clearance_and_progress_take_include_submitted_too(client, pending_work):
    clearance = client.get("/api/v1/stats/clearance/", {"year": 2023, "include": "submitted"})
    progress = client.get(
        "/api/v1/stats/progress/", {"from": 2023, "to": 2023, "include": "submitted"}
    )
    default_progress = client.get("/api/v1/stats/progress/", {"from": 2023, "to": 2023})

    everything = ha(APPROVED_CLEARED) + ha(NPA_SUBMITTED) + ha(MAG_SUBMITTED)
    assert huong_hoa(clearance.json())["cleared_ha"] == pytest.approx(everything, abs=0.01)
    assert progress.json()["rows"][0]["cleared_ha"] == pytest.approx(everything, abs=0.01)
    assert default_progress.json()["rows"][0]["cleared_ha"] == pytest.approx(
        ha(APPROVED_CLEARED), abs=0.01
    )
    assert progress.json()["scope"]["includes_submitted"] is True


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"include": "drafts"}, "include"),
        ({"as_recorded": "31/12/2023"}, "as_recorded"),
        ({"as_recorded": "2023-02-30"}, "as_recorded"),
        ({"include": "submitted", "as_recorded": "2023-12-31"}, "as_recorded"),
    ],
)
def test_bad_scope_parameters_get_a_400_naming_them(client, query, parameter):
    response = client.get(RELEASE_URL, {**AS_OF, **query})

    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_as_recorded_gives_the_figures_approved_at_the_end_of_that_day(client):
    factories.hazard(CHA)
    factories.release(APPROVED_CLEARED, completed_on=date(2023, 3, 1))
    backdate_history(days=400)
    # Approved "today", long after the day asked for; and a submission that was never approved.
    factories.release(NPA_SUBMITTED, completed_on=date(2023, 4, 1))
    factories.release(MAG_SUBMITTED, completed_on=date(2023, 5, 1), status="submitted")
    day = (dt.date.today() - dt.timedelta(days=200)).isoformat()

    then = client.get(RELEASE_URL, {**AS_OF, "as_recorded": day}).json()
    now = client.get(RELEASE_URL, AS_OF).json()

    assert huong_hoa(then)["released_ha"] == pytest.approx(ha(APPROVED_CLEARED), abs=0.01)
    assert huong_hoa(now)["released_ha"] == pytest.approx(
        ha(APPROVED_CLEARED) + ha(NPA_SUBMITTED), abs=0.01
    )
    assert then["scope"]["records"] == "approved"
    assert then["scope"]["as_recorded"].startswith(f"{day}T23:59:59")


def test_selectors_called_outside_any_scope_count_approved_records_only(pending_work):
    """The notebook and the commands call the selectors directly."""
    report = release_report(as_of=date(2023, 12, 31), by="district")

    row = next(row for row in report.rows if row.code == "465")
    assert row.released_ha == pytest.approx(ha(APPROVED_CLEARED), abs=0.01)


def test_selectors_called_inside_a_scope_keep_it(pending_work):
    with reading(ReadingScope(include_submitted=True)):
        report = clearance_report(year=2023, by="district")

    row = next(row for row in report.rows if row.code == "465")
    assert row.cleared_ha == pytest.approx(
        ha(APPROVED_CLEARED) + ha(NPA_SUBMITTED) + ha(MAG_SUBMITTED), abs=0.01
    )


def stats_command(*arguments: str) -> dict:
    out = StringIO()
    call_command("stats", *arguments, stdout=out)
    return json.loads(out.getvalue())


def test_the_stats_command_counts_approved_records_unless_told_otherwise(pending_work):
    default = stats_command("release", "--as-of", "2023-12-31")
    with_pending = stats_command("release", "--as-of", "2023-12-31", "--include-submitted")

    assert huong_hoa(default)["released_ha"] == pytest.approx(ha(APPROVED_CLEARED), abs=0.01)
    assert huong_hoa(with_pending)["released_ha"] == pytest.approx(
        ha(APPROVED_CLEARED) + ha(NPA_SUBMITTED) + ha(MAG_SUBMITTED), abs=0.01
    )
    assert with_pending["scope"]["submitted_by"] is None


def test_the_stats_command_reads_a_past_registry(pending_work):
    backdate_history(days=30)
    factories.release(square(LON + 0.01, LAT + 0.01, 0.003), completed_on=date(2023, 6, 1))
    day = (dt.date.today() - dt.timedelta(days=10)).isoformat()

    then = stats_command("clearance", "--year", "2023", "--as-recorded", day)

    assert huong_hoa(then)["cleared_ha"] == pytest.approx(ha(APPROVED_CLEARED), abs=0.01)
    assert then["scope"]["as_recorded"].startswith(day)
