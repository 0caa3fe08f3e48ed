"""Every analyst notebook runs top to bottom against the site served by gunicorn, as an analyst
runs it: over HTTP with an API token, never touching Django or the database.

The server and the notebook's kernel are other processes, so they cannot see rows inside a
test's transaction: a small synthetic data set, an analyst and their token are committed to the
test database for this module and removed after. A quarter of the releases are under review:
the notebooks read approved records, so they must not count them.
"""

import datetime as dt
from pathlib import Path

import nbformat
import pytest
from django.db import connection
from nbclient import NotebookClient

from app.accounting.selectors import release_report
from app.accounts.services import create_token
from app.registry.scopes import ReadingScope, reading
from tests import factories, live_site

NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
RECORD_TABLES = (
    "registry_hazardarea",
    "registry_releasearea",
    "registry_spottask",
    "registry_village",
    "registry_annualtarget",
    "registry_organisation",
)
pytestmark = [pytest.mark.slow, pytest.mark.django_db]
# The AS_OF of the notebooks that take one.
AS_OF = dt.date(2023, 12, 31)


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data (5%) with a quarter of its releases under review, an analyst's token and
    the site serving them. Yields the URL, the token and the province's released CHA at AS_OF,
    approved records only and with the pending work.

    Needs ``django_db_setup``, and the test below its ``django_db`` mark: pytest-django makes the
    test database only for a run that holds a test marked so, and without one a run of this
    module alone loaded into and truncated the development database."""
    from app.demo.services import load_demo

    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    with django_db_blocker.unblock():
        load_demo(seed=11, fraction=0.05)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE registry_releasearea SET status = 'submitted' WHERE id % 4 = 0")
        analyst = factories.user("analyst", username="notebook-analyst")
        token = create_token(user=analyst, name="notebooks").key
        try:
            with live_site.gunicorn(live_site.server_environment(), log) as base_url:
                yield {
                    "url": base_url,
                    "token": token,
                    "approved": released_ha(ReadingScope()),
                    "with pending work": released_ha(ReadingScope(include_submitted=True)),
                }
        finally:
            analyst.delete()
            with connection.cursor() as cursor:
                # Back to the session's starting state: admin units only.
                cursor.execute(f"TRUNCATE {', '.join(RECORD_TABLES)} CASCADE")
                # And their history (TRUNCATE fires no row trigger): versions left open would be
                # a registry that as_recorded still reads in the tests that follow.
                cursor.execute(
                    "DELETE FROM registry_recordversion WHERE table_name = ANY(%s)",
                    [list(RECORD_TABLES)],
                )


def released_ha(scope: ReadingScope) -> float:
    with reading(scope):
        report = release_report(as_of=AS_OF, by="district")
    return report.total.released_ha


def run(path: Path, site: dict, monkeypatch) -> str:
    """Runs the notebook as an analyst would, with the site's URL and token in the
    environment; returns the text of its outputs."""
    monkeypatch.setenv("LANDRELEASE_URL", site["url"])
    monkeypatch.setenv("LANDRELEASE_TOKEN", site["token"])
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": path.parent}}
    ).execute()
    return "\n".join(
        output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )


def test_there_are_notebooks_and_none_imports_django():
    assert NOTEBOOKS, "notebooks/ holds no .ipynb"
    for path in [*NOTEBOOKS, NOTEBOOK_DIR / "landrelease_client.py"]:
        source = path.read_text(encoding="utf-8")
        assert "import django" not in source and "from app" not in source, path.name
        assert "DATABASE_URL" not in source, path.name


def test_reading_the_api_pages_to_the_end_and_agrees_with_the_report(site, monkeypatch):
    text = run(NOTEBOOK_DIR / "01_reading_the_api.ipynb", site, monkeypatch)

    assert "they agree" in text
    assert "releases read by GDAL's OAPIF driver" in text
    assert "communes of 2025" in text


def test_annual_figures_show_every_district_and_approved_records_only(site, monkeypatch):
    text = run(NOTEBOOK_DIR / "02_annual_figures.ipynb", site, monkeypatch)

    assert "districts missing from the report: none" in text
    assert "Vĩnh Linh" in text
    assert site["approved"] < site["with pending work"]
    assert f"{site['approved']:,.0f} of" in text
    assert f"{site['with pending work']:,.0f} of" not in text
    assert (NOTEBOOK_DIR / "output" / f"cleared-by-year-{AS_OF.year}.png").stat().st_size > 0


def test_remaining_cha_from_the_raster_sums_to_the_report(site, monkeypatch):
    text = run(NOTEBOOK_DIR / "03_remaining_cha_from_raster.ipynb", site, monkeypatch)

    assert "the raster sums to the report within 0.5%" in text


def test_a_geopackage_for_qgis_holds_the_export_and_the_analysts_layers(site, monkeypatch):
    text = run(NOTEBOOK_DIR / "04_geopackage_for_qgis.ipynb", site, monkeypatch)

    assert "geodesic hectares: exported" in text
    assert "layer communes_2025" in text
    assert "layer remaining_cha" in text
