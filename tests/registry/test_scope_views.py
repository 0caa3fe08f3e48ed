"""The reading scopes: views named like the tables that show only what a scope allows."""

import pytest
from django.db import connection
from django.utils import timezone
from shapely.geometry import box

from app.registry.models import VERSIONED_TABLES, HazardArea, ReleaseArea
from app.registry.scope_views import SCHEMAS, table_columns
from app.registry.scopes import ReadingScope, reading
from tests import factories
from tests.history_clock import backdate_history

pytestmark = pytest.mark.django_db

SQUARE = box(107.0, 16.8, 107.01, 16.81)


@pytest.mark.parametrize("schema", SCHEMAS)
@pytest.mark.parametrize("table", sorted(VERSIONED_TABLES))
def test_every_scope_view_has_exactly_the_columns_of_its_table(schema, table):
    """Fails when a migration changes a versioned table without calling create_scope_views."""
    with connection.cursor() as cursor:
        table_names = [name for name, _type in table_columns(cursor, table)]
        cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
            "AND NOT attisdropped ORDER BY attnum",
            [f"{schema}.{table}"],
        )
        assert [name for (name,) in cursor.fetchall()] == table_names


def test_the_default_scope_sees_approved_records_that_are_not_deleted():
    approved = factories.release(SQUARE)
    factories.release(SQUARE, status="submitted")
    factories.release(SQUARE, status="draft")
    deleted = factories.release(SQUARE)
    ReleaseArea.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
    with reading():
        assert list(ReleaseArea.objects.values_list("pk", flat=True)) == [approved.pk]


def test_the_pending_scope_adds_submitted_work_of_the_named_organisations_only():
    approved = factories.hazard(SQUARE, org="npa")
    npa_pending = factories.hazard(SQUARE, org="npa", status="submitted")
    mag_pending = factories.hazard(SQUARE, org="mag", status="submitted")
    factories.hazard(SQUARE, org="npa", status="rejected")
    everyone = ReadingScope(include_submitted=True)
    only_npa = ReadingScope(
        include_submitted=True, submitted_by=frozenset({factories.organisation("npa").pk})
    )
    with reading(everyone):
        assert set(HazardArea.objects.values_list("pk", flat=True)) == {
            approved.pk,
            npa_pending.pk,
            mag_pending.pk,
        }
    with reading(only_npa):
        assert set(HazardArea.objects.values_list("pk", flat=True)) == {
            approved.pk,
            npa_pending.pk,
        }


def test_the_recorded_scope_reads_the_approved_versions_open_at_a_moment():
    release = factories.release(SQUARE, status="submitted")
    backdate_history(days=2)
    two_days_ago = timezone.now() - timezone.timedelta(days=1)
    with reading(ReadingScope(as_recorded=two_days_ago)):
        assert not ReleaseArea.objects.exists()
    release.status = "approved"
    release.save()
    with reading(ReadingScope(as_recorded=timezone.now())):
        (seen,) = ReleaseArea.objects.all()
        assert seen.reference == release.reference
        assert seen.geometry.equals_exact(release.geometry, 0)


def test_a_scope_ends_with_its_block():
    factories.release(SQUARE, status="submitted")
    with reading():
        assert ReleaseArea.objects.count() == 0
    assert ReleaseArea.objects.count() == 1


def test_a_moment_before_the_history_began_is_refused_with_the_first_day():
    from app.registry.scopes import BeforeHistory

    long_ago = timezone.now() - timezone.timedelta(days=3650)
    with pytest.raises(BeforeHistory) as refused, reading(ReadingScope(as_recorded=long_ago)):
        pass
    assert refused.value.parameter == "as_recorded"
    assert timezone.localdate().isoformat() in refused.value.message
