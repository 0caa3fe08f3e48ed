"""``as_recorded`` reproduces a report as it was published: the figures of the approved registry
at a past moment, whatever was edited, restored or deleted since.

All writes of a test share one ``now()``, so the past is made by moving the versions written so
far back in time (``backdate_history``) between the steps."""

import datetime as dt
from datetime import date

import pytest
from shapely import box
from shapely.geometry import mapping

from app.accounting.selectors import release_report
from app.registry.scopes import APPROVED, ReadingScope, reading
from tests import factories
from tests.accounting.shapes import HUONG_HOA_LAT, HUONG_HOA_LON, ha, square
from tests.history_clock import backdate_history, transaction_now

pytestmark = pytest.mark.django_db

LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT
AS_OF = date(2023, 12, 31)
CHA = square(LON, LAT, 0.01)
FIRST_OUTLINE = square(LON - 0.005, LAT, 0.004)
SECOND_OUTLINE = box(LON - 0.016, LAT - 0.004, LON + 0.002, LAT + 0.004)


def report(scope: ReadingScope = APPROVED):
    with reading(scope):
        return release_report(as_of=AS_OF, by="district")


def figures(report) -> list[tuple]:
    """Every figure of the report, rows and total, for an exact comparison."""
    rows = [
        (row.code, row.cha_ha, row.released_ha, row.cleared_ha, row.reduced_ha, row.cancelled_ha)
        for row in report.rows
    ]
    total = report.total
    return [*rows, (total.cha_ha, total.released_ha, total.cleared_outside_cha_ha)]


def released_in_huong_hoa(report) -> float:
    return next(row for row in report.rows if row.code == "465").released_ha


def days_ago(days: int) -> dt.datetime:
    return transaction_now() - dt.timedelta(days=days)


def test_a_report_published_before_an_edit_is_reproduced_after_it(api):
    # The boundaries, loaded at session start, as if loaded a year ago: a moment before the
    # records existed still has districts to report on.
    backdate_history(days=365)
    factories.hazard(CHA)
    release = factories.release(FIRST_OUTLINE)
    backdate_history(days=20)
    published = report()
    assert released_in_huong_hoa(published) == pytest.approx(ha(FIRST_OUTLINE), rel=1e-4)

    api.patch(
        f"/api/v1/records/releases/{release.pk}/",
        {"geometry": mapping(SECOND_OUTLINE), "reason": "re-surveyed"},
        format="json",
    )
    backdate_history(days=10)
    # Now: the records created 30 days ago, the release edited 10 days ago.
    current = report()
    assert released_in_huong_hoa(current) == pytest.approx(
        ha(SECOND_OUTLINE.intersection(CHA)), rel=1e-4
    )

    assert figures(report(ReadingScope(as_recorded=days_ago(20)))) == figures(published)
    assert figures(report(ReadingScope(as_recorded=days_ago(5)))) == figures(current)
    assert released_in_huong_hoa(report(ReadingScope(as_recorded=days_ago(40)))) == 0


def test_a_deleted_release_still_counts_in_a_report_of_before_the_deletion(api):
    factories.hazard(CHA)
    release = factories.release(FIRST_OUTLINE)
    backdate_history(days=10)
    published = report()

    api.delete(f"/api/v1/records/releases/{release.pk}/?reason=duplicate")

    assert released_in_huong_hoa(report()) == 0
    assert figures(report(ReadingScope(as_recorded=days_ago(5)))) == figures(published)


def test_a_submitted_release_does_not_count_in_the_past_until_it_was_approved(api, analyst):
    from app.registry.history import recording
    from app.registry.models import ReleaseArea

    factories.hazard(CHA)
    release = factories.release(FIRST_OUTLINE, status="submitted")
    backdate_history(days=10)
    with recording(user=analyst, reason="checked"):
        ReleaseArea.objects.filter(pk=release.pk).update(status="approved")

    assert released_in_huong_hoa(report(ReadingScope(as_recorded=days_ago(5)))) == 0
    assert released_in_huong_hoa(report()) == pytest.approx(ha(FIRST_OUTLINE), rel=1e-4)
