"""The record page names fields and coded values in the reader's language: its attribute table,
its edit form (labels and hints) and its history. The API keeps the field names and codes."""

import pytest

from app.records import labels, services
from app.records.layers import RECORD_LAYERS
from tests import factories
from tests.accounting.shapes import HUONG_HOA_LAT, HUONG_HOA_LON, square

pytestmark = pytest.mark.django_db

SHAPE = square(HUONG_HOA_LON, HUONG_HOA_LAT)


@pytest.mark.parametrize("layer", RECORD_LAYERS.values(), ids=RECORD_LAYERS.keys())
def test_every_field_a_record_page_shows_has_a_label_and_a_translatable_hint(layer):
    shown = {key for key, _sql in layer.properties} | set(layer.editable)
    hidden = {"status", "deleted_at", "url", "layer"}

    assert shown - hidden - labels.FIELD_LABELS.keys() == set()
    for name in layer.editable:
        help_text = layer.model._meta.get_field(name).help_text
        assert not help_text or help_text in labels.HELP_TEXTS, (layer.name, name)


@pytest.mark.vietnamese
def test_a_release_reads_in_vietnamese_with_its_method_by_name(client, analyst):
    release = factories.release(SHAPE)
    services.change_record(
        layer="releases",
        record_id=release.pk,
        user=analyst,
        changes={"depth_cm": 20},
        reason="theo báo cáo hoàn thành",
    )

    page = client.get(f"/records/releases/{release.pk}/?edit=1").content.decode()

    assert '<th scope="row" title="completed_on">Ngày hoàn thành</th>' in page
    assert '<th scope="row" title="method">Phương pháp</th><td>Đã rà phá</td>' in page
    # The edit form's label and the model's hint, translated.
    assert '<label class="form-label" for="id_depth_cm">Độ sâu rà phá (cm)</label>' in page
    assert "Ngày hoàn thành; các báo cáo tính khu vực giải phóng theo ngày này." in page
    # The history: the change by its field's label, the first version as created ("Tạo mới").
    assert '<span title="depth_cm">Độ sâu rà phá (cm)</span>: 30 → 20' in page
    assert "Tạo mới" in page
    assert ">completed_on<" not in page and "Completion date" not in page


def test_a_hazard_reads_in_english_with_its_kind_and_contamination_by_name(client):
    hazard = factories.hazard(SHAPE, kind="CHA", org="npa")

    page = client.get(f"/records/hazards/{hazard.pk}/").content.decode()

    assert '<th scope="row" title="kind">Kind</th><td>Confirmed hazardous area</td>' in page
    assert '<th scope="row" title="recorded_on">Recorded on</th>' in page


def test_the_api_keeps_the_field_names_and_codes(client):
    release = factories.release(SHAPE)

    properties = client.get(f"/api/v1/records/releases/{release.pk}/").json()["properties"]

    assert properties["method"] == "cleared" and "completed_on" in properties
