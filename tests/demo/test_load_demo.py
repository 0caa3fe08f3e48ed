"""load_demo and `manage.py load_demo` on the real PostGIS test database, on a reduced data set."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from app.demo import services
from app.demo.generator import DemoSpec, generate_demo
from app.demo.services import load_demo
from app.registry.models import (
    AdminUnit,
    AnnualTarget,
    HazardArea,
    Organisation,
    ReleaseArea,
    SpotTask,
    Village,
)
from gis.areas import geodesic_area_ha

pytestmark = pytest.mark.django_db

SEED, FRACTION = 3, 0.04


def table_fingerprint() -> tuple:
    """Every demo row of every table, as one md5 per table (geometry as EWKB)."""
    queries = (
        "SELECT count(*), md5(string_agg(concat_ws('|', h.reference, h.kind, h.contamination,"
        " o.slug, h.recorded_on, encode(ST_AsEWKB(h.geometry), 'hex'), h.notes), ',' ORDER BY"
        " h.reference)) FROM registry_hazardarea h JOIN registry_organisation o"
        " ON o.id = h.organisation_id",
        "SELECT count(*), md5(string_agg(concat_ws('|', r.reference, r.method, o.slug,"
        " r.started_on, r.completed_on, r.depth_cm, encode(ST_AsEWKB(r.geometry), 'hex')), ','"
        " ORDER BY o.slug, r.reference)) FROM registry_releasearea r JOIN registry_organisation o"
        " ON o.id = r.organisation_id",
        "SELECT count(*), md5(string_agg(concat_ws('|', s.reference, o.slug, s.completed_on,"
        " ST_AsEWKT(s.location), s.items_destroyed), ',' ORDER BY s.reference))"
        " FROM registry_spottask s JOIN registry_organisation o ON o.id = s.organisation_id",
        "SELECT count(*), md5(string_agg(concat_ws('|', code, name_vi, ST_AsEWKT(location),"
        " nts_completed_on, ts_completed_on), ',' ORDER BY code)) FROM registry_village",
        "SELECT count(*), md5(string_agg(concat_ws('|', year, metric, admin_unit_id,"
        " organisation_id, value), ',' ORDER BY year, metric, admin_unit_id, organisation_id))"
        " FROM registry_annualtarget",
    )
    with connection.cursor() as cursor:
        results = []
        for query in queries:
            cursor.execute(query)
            results.append(cursor.fetchone())
    return tuple(results)


def test_it_writes_every_generated_row():
    dataset = generate_demo(DemoSpec(seed=SEED, fraction=FRACTION))
    summary = load_demo(seed=SEED, fraction=FRACTION)

    assert HazardArea.objects.filter(kind="CHA").count() == len(dataset.chas) == summary.chas
    assert HazardArea.objects.filter(kind="SHA").count() == len(dataset.shas) == summary.shas
    assert ReleaseArea.objects.count() == len(dataset.releases)
    assert SpotTask.objects.count() == len(dataset.spot_tasks)
    assert Village.objects.count() == len(dataset.villages)
    assert AnnualTarget.objects.count() == len(dataset.targets)
    assert set(Organisation.objects.values_list("slug", "kind")) >= {
        ("npa", "ngo"),
        ("mag", "ngo"),
        ("renew", "ngo"),
        ("peacetrees", "ngo"),
        ("golden-west", "ngo"),
        ("military-qt", "military"),
    }
    expected_ha = sum(geodesic_area_ha(h.geometry) for h in dataset.chas)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sum(ST_Area(geometry::geography, true)) / 10000 FROM registry_hazardarea"
            " WHERE kind = 'CHA'"
        )
        assert cursor.fetchone()[0] == pytest.approx(expected_ha, rel=1e-4)
        cursor.execute("SELECT sum(items_destroyed) FROM registry_spottask")
        assert cursor.fetchone()[0] == int(dataset.spot_tasks.items_destroyed.sum())


def test_a_rerun_replaces_rather_than_duplicates():
    load_demo(seed=SEED, fraction=FRACTION)
    first = table_fingerprint()
    load_demo(seed=SEED + 1, fraction=FRACTION)
    assert table_fingerprint() != first
    load_demo(seed=SEED, fraction=FRACTION)
    assert table_fingerprint() == first


def test_it_leaves_rows_that_are_not_synthetic_alone():
    load_demo(seed=SEED, fraction=FRACTION)
    own = Organisation.objects.create(slug="survey-team", name="A real team", kind="ngo")
    real = HazardArea.objects.create(
        reference="QT-2024-0001",
        kind="CHA",
        contamination="mixed_uxo",
        organisation=own,
        recorded_on="2024-03-01",
        geometry="SRID=4326;MULTIPOLYGON(((107 16.8,107.01 16.8,107.01 16.81,107 16.8)))",
    )
    target = AnnualTarget.objects.create(year=2030, metric="cleared_ha", value=10)

    load_demo(seed=SEED, fraction=FRACTION)

    assert HazardArea.objects.filter(pk=real.pk).exists()
    assert AnnualTarget.objects.filter(pk=target.pk).exists()


def test_it_is_one_transaction(monkeypatch):
    load_demo(seed=SEED, fraction=FRACTION)
    before = table_fingerprint()
    real_copy = services._copy

    def copy_then_fail_on_spot_tasks(cursor, model, columns, rows):
        if model is SpotTask:
            raise RuntimeError("disk full")
        real_copy(cursor, model, columns, rows)

    monkeypatch.setattr(services, "_copy", copy_then_fail_on_spot_tasks)
    with pytest.raises(RuntimeError, match="disk full"):
        load_demo(seed=SEED + 1, fraction=FRACTION)
    assert table_fingerprint() == before


def test_load_demo_if_empty_leaves_loaded_demo_data_alone():
    load_demo(seed=SEED, fraction=FRACTION)
    before = table_fingerprint()
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert "already loaded" in out.getvalue()
    assert table_fingerprint() == before


def test_load_demo_rejects_a_scale_below_one():
    with pytest.raises(CommandError, match="--scale"):
        call_command("load_demo", "--scale", "0")


def test_load_demo_asks_for_the_admin_units_when_the_districts_are_missing():
    AdminUnit.objects.filter(boundary_set="2019", level="district").delete()
    with pytest.raises(CommandError, match="load_admin_units"):
        call_command("load_demo")
