import json

import pytest
from shapely.geometry import shape

from app.registry.models import AdminUnit, BoundarySet, Level
from app.registry.services.admin_units import BOUNDARIES_DIR, load_admin_units
from gis.areas import geodesic_area_ha

pytestmark = pytest.mark.django_db


def test_it_loads_both_boundary_sets():
    assert AdminUnit.objects.in_set(BoundarySet.LEGACY_2019).at_level(Level.DISTRICT).count() == 10
    assert AdminUnit.objects.in_set(BoundarySet.REFORM_2025).at_level(Level.COMMUNE).count() == 78
    vinh_linh = AdminUnit.objects.get(boundary_set="2019", code="464")
    assert vinh_linh.name_vi == "Vĩnh Linh"
    assert vinh_linh.parent.code == "45"
    assert str(vinh_linh.valid_to) == "2025-06-30"


def test_it_is_idempotent():
    before = AdminUnit.objects.count()
    summary = load_admin_units()
    assert summary.created == 0
    assert summary.updated == before
    assert AdminUnit.objects.count() == before


def test_stored_geometry_keeps_the_area_of_the_source_file():
    collection = json.loads((BOUNDARIES_DIR / "quangtri_districts.geojson").read_text())
    feature = next(f for f in collection["features"] if f["properties"]["code"] == "465")
    expected_ha = geodesic_area_ha(shape(feature["geometry"]))
    stored = AdminUnit.objects.get(boundary_set="2019", code="465").geometry
    assert geodesic_area_ha(shape(json.loads(stored.geojson))) == pytest.approx(
        expected_ha, rel=1e-9
    )
