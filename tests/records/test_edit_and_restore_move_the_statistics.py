"""The issue's history test: edit a polygon, the statistics move; restore the old version, they
return exactly. Soft delete takes a record out of the statistics; undoing it brings it back."""

from datetime import date

import pytest
from shapely import box
from shapely.geometry import mapping

from app.accounting.selectors import release_report
from app.registry.scopes import reading
from tests import factories
from tests.accounting.shapes import HUONG_HOA_LAT, HUONG_HOA_LON, ha, square

pytestmark = pytest.mark.django_db

LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT
AS_OF = date(2023, 12, 31)
CHA = square(LON, LAT, 0.01)
# Wholly inside the CHA: about 0.008° × 0.008°.
FIRST_OUTLINE = square(LON - 0.005, LAT, 0.004)
# Larger and reaching out of the CHA on the west: only the part inside counts as released.
SECOND_OUTLINE = box(LON - 0.016, LAT - 0.004, LON + 0.002, LAT + 0.004)


def released_ha_in_huong_hoa() -> float:
    with reading():
        report = release_report(as_of=AS_OF, by="district")
    return next(row for row in report.rows if row.code == "465").released_ha


def history_of(api, release) -> list[dict]:
    response = api.get(f"/api/v1/records/releases/{release.pk}/history/")
    assert response.status_code == 200
    return response.json()["versions"]


def test_editing_a_release_moves_the_release_figures_and_restoring_moves_them_back_exactly(api):
    factories.hazard(CHA)
    release = factories.release(FIRST_OUTLINE)
    before = released_ha_in_huong_hoa()
    assert before == pytest.approx(ha(FIRST_OUTLINE), rel=1e-4)

    edited = api.patch(
        f"/api/v1/records/releases/{release.pk}/",
        {"geometry": mapping(SECOND_OUTLINE), "reason": "outline re-surveyed"},
        format="json",
    )

    assert edited.status_code == 200, edited.content
    after = released_ha_in_huong_hoa()
    assert after == pytest.approx(ha(SECOND_OUTLINE.intersection(CHA)), rel=1e-4)
    assert after > before + 1

    created = history_of(api, release)[0]
    restored = api.post(
        f"/api/v1/records/releases/{release.pk}/history/{created['id']}/restore/",
        {"reason": "the re-survey was of another site"},
        format="json",
    )

    assert restored.status_code == 200, restored.content
    assert released_ha_in_huong_hoa() == before
    assert [version["action"] for version in history_of(api, release)] == [
        "created",
        "changed",
        "restored",
    ]


def test_an_edit_by_an_analyst_keeps_an_approved_release_approved_and_counted(api):
    factories.hazard(CHA)
    release = factories.release(FIRST_OUTLINE)

    api.patch(
        f"/api/v1/records/releases/{release.pk}/",
        {"geometry": mapping(SECOND_OUTLINE)},
        format="json",
    )

    release.refresh_from_db()
    assert release.status == "approved"
    assert released_ha_in_huong_hoa() == pytest.approx(
        ha(SECOND_OUTLINE.intersection(CHA)), rel=1e-4
    )


def test_a_soft_deleted_release_leaves_the_statistics_and_undoing_it_brings_it_back(api):
    factories.hazard(CHA)
    release = factories.release(FIRST_OUTLINE)
    before = released_ha_in_huong_hoa()

    deleted = api.delete(f"/api/v1/records/releases/{release.pk}/?reason=entered+twice")

    assert deleted.status_code == 200, deleted.content
    assert deleted.json()["properties"]["deleted_at"] is not None
    assert released_ha_in_huong_hoa() == 0

    undone = api.post(f"/api/v1/records/releases/{release.pk}/undelete/", {}, format="json")

    assert undone.status_code == 200, undone.content
    assert released_ha_in_huong_hoa() == before
    assert [version["action"] for version in history_of(api, release)][-2:] == [
        "deleted",
        "undeleted",
    ]
