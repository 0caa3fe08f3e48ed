"""The accounting store's commands, and what a store read gives where only pieces of the
registry changed: a pending hazard joining an approved one, pending clearance outside every CHA,
an admin unit reloaded. Expected hectares from pyproj.Geod (tests/accounting/shapes.ha)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from shapely.ops import unary_union

from app.accounting.selectors import clearance_report, progress_report, release_report
from app.accounting.selectors.store_check import store_differences
from app.registry.scopes import ReadingScope, reading
from tests import factories

from .shapes import HUONG_HOA_LAT, HUONG_HOA_LON, ha, square

pytestmark = pytest.mark.django_db

LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT
AS_OF = date(2023, 12, 31)


@pytest.fixture
def registry():
    """An approved CHA half cleared, a submitted CHA of another organisation overlapping it, a
    submitted clearance outside every CHA."""
    approved_cha = square(LON, LAT, 0.01)
    pending_cha = square(LON + 0.012, LAT, 0.006)
    cleared = square(LON - 0.005, LAT, 0.004)
    outside = square(LON - 0.05, LAT - 0.05, 0.003)
    factories.hazard(approved_cha, org="npa")
    factories.hazard(pending_cha, org="mag", status="submitted")
    factories.release(cleared, completed_on=date(2023, 3, 1), org="npa")
    factories.release(outside, completed_on=date(2023, 4, 1), org="mag", status="submitted")
    return {
        "approved": approved_cha,
        "pending": pending_cha,
        "cleared": cleared,
        "outside": outside,
    }


def test_a_report_with_submitted_work_counts_what_it_touches_and_nothing_twice(registry):
    with reading(ReadingScope(include_submitted=True)):
        total = release_report(as_of=AS_OF, by="province").total
    approved = release_report(as_of=AS_OF, by="province").total

    assert approved.cha_ha == pytest.approx(ha(registry["approved"]), rel=1e-6)
    assert total.cha_ha == pytest.approx(
        ha(unary_union([registry["approved"], registry["pending"]])), rel=1e-6
    )
    assert total.cleared_ha == pytest.approx(ha(registry["cleared"]), rel=1e-6)
    assert approved.cleared_outside_cha_ha == pytest.approx(0, abs=1e-6)
    assert total.cleared_outside_cha_ha == pytest.approx(ha(registry["outside"]), rel=1e-6)


def test_a_coordinator_sees_their_own_pending_hazard_and_not_anothers(registry):
    mag = factories.organisation("mag")
    with reading(ReadingScope(include_submitted=True, submitted_by=frozenset({mag.pk}))):
        mags = release_report(as_of=AS_OF, by="province").total
    npa = factories.organisation("npa")
    with reading(ReadingScope(include_submitted=True, submitted_by=frozenset({npa.pk}))):
        npas = release_report(as_of=AS_OF, by="province").total

    assert mags.cha_ha == pytest.approx(
        ha(unary_union([registry["approved"], registry["pending"]])), rel=1e-6
    )
    assert npas.cha_ha == pytest.approx(ha(registry["approved"]), rel=1e-6)


def test_check_accounting_exits_0_when_the_store_agrees_and_1_naming_a_figure_when_not(registry):
    out = StringIO()
    call_command("check_accounting", stdout=out)
    assert "agrees with the reference" in out.getvalue()

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounting_unitarea SET area_ha = area_ha + 0.01"
            " WHERE family = 'CHA' AND unit_id = (SELECT id FROM registry_adminunit"
            " WHERE boundary_set = '2019' AND level = 'province')"
        )
    err = StringIO()
    with pytest.raises(CommandError, match="differ from the reference"):
        call_command("check_accounting", stderr=err)
    assert "release by province (2019)" in err.getvalue()
    assert "cha_ha" in err.getvalue()


def test_rebuild_accounting_mends_the_store_and_says_how_long_it_took(registry):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounting_unitseries")
    assert store_differences(days=[AS_OF]) != []

    out = StringIO()
    call_command("rebuild_accounting", stdout=out)

    assert "Rebuilt the accounting store in " in out.getvalue()
    assert store_differences(days=[AS_OF]) == []


def test_moving_a_district_boundary_moves_the_figures_with_it(registry):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_adminunit SET geometry = ST_Multi(ST_Translate(geometry, 0.01, 0))"
            " WHERE boundary_set = '2019' AND code = '465'"
        )

    assert store_differences(days=[AS_OF]) == []


def test_truncating_the_registry_empties_the_store_with_it(registry):
    with connection.cursor() as cursor:
        # (The foreign-key checks of the inserts above would otherwise be pending: TRUNCATE
        # refuses a table with pending trigger events.)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE registry_releasearea, registry_hazardarea CASCADE")
        cursor.execute("SELECT count(*) FROM accounting_part")
        (parts,) = cursor.fetchone()

    assert parts == 0
    assert release_report(as_of=AS_OF, by="province").total.cha_ha == 0
    assert store_differences(days=[AS_OF]) == []


def test_an_update_of_no_spot_task_marks_no_count_stale(registry):
    """An approval updates every record table of the batch, spot tasks included when the batch
    has none: the statement changes no row, and must not recount every task (it did: 35 s of a
    1,000-polygon approval at 10x)."""
    factories.spot_task(LON, LAT, completed_on=date(2023, 6, 1))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounting_unittasks")
        (before,) = cursor.fetchone()
        cursor.execute(
            "CREATE TEMPORARY TABLE marked_keys ON COMMIT DROP AS"
            " SELECT * FROM accounting_staletasks WITH NO DATA"
        )
        cursor.execute(
            "CREATE FUNCTION pg_temp.keep_marked() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN INSERT INTO marked_keys SELECT * FROM new_rows; RETURN NULL; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER keep_marked AFTER INSERT ON accounting_staletasks"
            " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT"
            " EXECUTE FUNCTION pg_temp.keep_marked()"
        )
        cursor.execute("UPDATE registry_spottask SET status = 'approved' WHERE id < 0")
        cursor.execute("SELECT count(*) FROM marked_keys")
        (keys,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM accounting_unittasks")
        (after,) = cursor.fetchone()

    assert keys == 0
    assert after == before > 0


def test_store_counts_of_spot_tasks_and_villages_see_approved_records_only(registry):
    """The store keeps where every spot task and village lies whatever its review state; the
    reports' store paths join it with the records of the reader's scope: approved ones by
    default, a coordinator's own submitted ones with include=submitted, never another's, never
    a deleted one."""
    factories.spot_task(LON, LAT, items_destroyed=3, org="npa")
    factories.spot_task(LON, LAT, items_destroyed=5, org="npa", status="submitted")
    factories.spot_task(LON, LAT, items_destroyed=7, org="mag", status="submitted")
    gone = factories.spot_task(LON, LAT, items_destroyed=11, org="mag")
    type(gone).objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    factories.village(LON, LAT, nts_completed_on=date(2020, 1, 1))
    factories.village(LON, LAT, nts_completed_on=date(2020, 1, 1), status="submitted")

    clearance = clearance_report(year=2023, by="organisation").total
    progress = progress_report(from_year=2023, to_year=2023)
    npa = factories.organisation("npa")
    with reading(ReadingScope(include_submitted=True, submitted_by=frozenset({npa.pk}))):
        npas = clearance_report(year=2023, by="organisation").total

    assert (clearance.spot_tasks, clearance.items_destroyed) == (1, 3)
    assert (progress.rows[0].spot_tasks, progress.rows[0].items_destroyed) == (1, 3)
    assert (progress.villages, progress.rows[0].villages_surveyed) == (1, 1)
    assert (npas.spot_tasks, npas.items_destroyed) == (2, 8)
