"""Figures in the reader's convention on every page: Vietnamese 1.234,56 ha and 61,5%, English
1,234.56 ha and 61.5%; the API's JSON keeps plain numbers.

Each expected string is built here from the figure (hectares from pyproj.Geod through
gis.areas, distances from Geod.inv) and this module's own idea of each convention, never from
the formatter under test."""

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation
from pyproj import Geod
from rest_framework.test import APIClient
from shapely import box

from app.registry.models import Organisation
from app.uploads.worker import process_waiting_uploads
from gis.areas import geodesic_area_ha
from tests import factories
from tests.accounting.shapes import HUONG_HOA_LAT, HUONG_HOA_LON, district

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).parents[2]
LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT
# About 2,950 ha of CHA and 680 ha cleared of it in 2023 (23.0%), inside Hướng Hóa (465).
CHA = box(LON - 0.025, LAT - 0.025, LON + 0.025, LAT + 0.025)
CLEARED = box(LON - 0.012, LAT - 0.012, LON + 0.012, LAT + 0.012)
TARGET_HA = 1500


def written(value: float, decimals: int, language: str) -> str:
    """The test's own writing of a figure: English 1,234.5, Vietnamese 1.234,5."""
    whole, _dot, fraction = f"{round(value, decimals):.{decimals}f}".partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    group, decimal = (",", ".") if language == "en" else (".", ",")
    integer = group.join([whole, *groups])
    return f"{integer}{decimal}{fraction}" if fraction else integer


def page_text(response) -> str:
    """The page as a reader reads it: Folium's JSON escapes (\\u0129) decoded."""
    text = response.content.decode()
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda match: chr(int(match.group(1), 16)), text)


def test_the_test_writes_figures_as_readers_do():
    assert written(48898.432, 2, "vi") == "48.898,43"
    assert written(8758, 0, "vi") == "8.758"
    assert written(1234567.89, 1, "en") == "1,234,567.9"


@pytest.fixture
def released_in_huong_hoa():
    assert district("465").contains(CHA)
    factories.hazard(CHA)
    factories.release(CLEARED, method="cleared", completed_on=date(2023, 5, 1))
    factories.target(year=2023, value=TARGET_HA, district="465")
    cha_ha, cleared_ha = geodesic_area_ha(CHA), geodesic_area_ha(CLEARED)
    # Far from a rounding edge, so PostGIS's and pyproj's last digits cannot tip the figure.
    for value, decimals in ((cha_ha, 0), (cleared_ha, 0), (cleared_ha / cha_ha * 100, 1)):
        assert abs(value * 10**decimals % 1 - 0.5) > 0.05, value
    return cha_ha, cleared_ha


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_province_maps_tooltips_and_legend_write_figures_as_the_reader_does(
    client, released_in_huong_hoa, language
):
    cha_ha, cleared_ha = released_in_huong_hoa
    page = page_text(client.get("/maps/coverage/?year=2023", HTTP_ACCEPT_LANGUAGE=language))

    pct = written(cleared_ha / cha_ha * 100, 1, language)
    of_target = written(cleared_ha / TARGET_HA * 100, 0, language)
    assert f'"cha_ha": "{written(cha_ha, 0, language)} ha"' in page
    assert f'"released_ha": "{written(cleared_ha, 0, language)} ha"' in page
    assert f'"released_pct": "{pct}%"' in page
    assert f"{written(TARGET_HA, 0, language)} ha ({of_target}%)" in page
    assert "0–10%" in page and "80–100%" in page
    # Thousands in the other language's convention would be read a thousand times too small.
    other = "en" if language == "vi" else "vi"
    assert f'"cha_ha": "{written(cha_ha, 0, other)} ha"' not in page


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_record_page_writes_its_hectares_as_the_reader_does(client, language):
    hazard = factories.hazard(CHA)

    page = client.get(f"/records/hazards/{hazard.pk}/", HTTP_ACCEPT_LANGUAGE=language)

    assert page.status_code == 200
    assert f"<td>{written(geodesic_area_ha(CHA), 2, language)}</td>" in page.content.decode()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_records_list_writes_hectares_and_counts_as_the_reader_does(client, language):
    factories.hazard(CHA)
    task = factories.spot_task(LON, LAT)
    task.items_destroyed = 1250
    task.save()

    hazards = client.get("/records/hazards/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    tasks = client.get("/records/spot-tasks/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert f'<td class="text-end">{written(geodesic_area_ha(CHA), 2, language)}</td>' in hazards
    assert f'<td class="text-end">{written(1250, 0, language)}</td>' in tasks


@pytest.fixture
def checked_release(analyst, settings, tmp_path):
    """A release file of the CHA-sized square, checked: its edges are over 5 km long."""
    settings.UPLOAD_ROOT = tmp_path / "upload-root"
    Organisation.objects.create(slug="npa", name="Norwegian People's Aid", kind="ngo")
    api = APIClient()
    api.force_authenticate(analyst)
    path = tmp_path / "giai_phong.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {
                            "reference": "NPA-1",
                            "method": "cleared",
                            "completed_on": "2024-03-01",
                        },
                        "geometry": CHA.__geo_interface__,
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    with path.open("rb") as handle:
        response = api.post(
            "/api/v1/uploads/",
            {"file": handle, "kind": "release", "organisation": "npa"},
            format="multipart",
        )
    assert response.status_code == 202, response.json()
    process_waiting_uploads()
    return api, response.json()["id"]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_an_upload_reports_sentences_and_totals_write_figures_as_the_reader_does(
    client, checked_release, language
):
    api, upload_id = checked_release
    # The longest edge is a meridian side of the square.
    _fwd, _back, longest_m = Geod(ellps="WGS84").inv(
        LON - 0.025, LAT - 0.025, LON - 0.025, LAT + 0.025
    )
    total_ha = geodesic_area_ha(CHA)

    upload = api.get(f"/api/v1/uploads/{upload_id}/", HTTP_ACCEPT_LANGUAGE=language).json()
    uploads_page = client.get("/uploads/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    km = written(longest_m / 1000, 1, language)
    assert any(f" {km} km " in warning for warning in upload["report"]["warnings"]), upload
    # The API's own figures stay numbers.
    assert upload["report"]["total_ha"] == pytest.approx(total_ha, abs=0.005)
    assert f"{written(total_ha, 2, language)}</td>" in uploads_page


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_review_page_writes_the_batchs_hectares_as_the_reader_does(
    client, checked_release, language
):
    api, upload_id = checked_release
    response = api.post(f"/api/v1/uploads/{upload_id}/commit/", {}, format="json")
    assert response.status_code == 202, response.json()
    process_waiting_uploads()

    page = client.get(f"/review/{upload_id}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert f"{written(geodesic_area_ha(CHA), 2, language)} ha" in page


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_refusal_writes_the_size_limit_as_the_reader_does(analyst, settings, tmp_path, language):
    settings.UPLOAD_ROOT = tmp_path / "upload-root"
    settings.UPLOAD_MAX_BYTES = 1_048_576
    Organisation.objects.create(slug="npa", name="Norwegian People's Aid", kind="ngo")
    api = APIClient()
    api.force_authenticate(analyst)
    path = tmp_path / "big.geojson"
    path.write_bytes(b" " * 1_048_577)

    with path.open("rb") as handle:
        response = api.post(
            "/api/v1/uploads/",
            {"file": handle, "kind": "release", "organisation": "npa"},
            format="multipart",
            HTTP_ACCEPT_LANGUAGE=language,
        )

    assert response.status_code == 400
    assert written(1_048_576, 0, language) in response.json()["error"]
    assert written(1_048_577, 0, language) in response.json()["error"]


# What a template may print as a figure only through |number or |percent: hectares,
# percentages, areas, distances and the counts of features and records.
FIGURE_NAME = re.compile(
    r"(_ha|_pct|hectares|area|_km|\.features|features_read|\.accepted|report\.stored)$"
)
PRINTED = re.compile(r"\{\{\s*([^}|]+?)\s*(\|[^}]*)?\}\}")
TRANSLATED = re.compile(r"\{%\s*blocktranslate\b([^%]*)%\}")


def test_no_template_prints_a_figure_without_the_readers_convention():
    raw = []
    for template in sorted((ROOT / "app").glob("**/templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        where = template.relative_to(ROOT)
        if "floatformat" in text:
            raw.append(f"{where}: floatformat")
        for match in PRINTED.finditer(text):
            name, filters = match.group(1), match.group(2) or ""
            # |join: a list of feature numbers, which are not figures.
            if FIGURE_NAME.search(name) and not re.search(r"\|(number|percent|join)\b", filters):
                raw.append(f"{where}: {match.group(0)}")
        # A figure handed to a translated sentence (with n=...); a plural's count stays a number.
        for arguments in TRANSLATED.findall(text):
            given = arguments.split(" count ")[0]
            for name, value in re.findall(r"(\w+)=(\S+)", given):
                if FIGURE_NAME.search(value.split("|")[0]) and not re.search(
                    r"\|(number|percent)\b", value
                ):
                    raw.append(f"{where}: {name}={value}")
    assert not raw, raw


def test_no_script_writes_a_number_but_through_the_sites_formatter():
    scripts = [
        path for path in sorted((ROOT / "app").glob("*/static/*/*.js")) if path.name != "numbers.js"
    ]
    assert scripts
    for script in scripts:
        text = script.read_text(encoding="utf-8")
        for raw in ("toLocaleString", "toFixed", "Intl.NumberFormat"):
            assert raw not in text, f"{script.relative_to(ROOT)} uses {raw}"


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js (make assets installs it)")
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", ["48.898,43", "8.758", "61,5%", "0,00", "1.234.567,9"]),
        ("en", ["48,898.43", "8,758", "61.5%", "0.00", "1,234,567.9"]),
    ],
)
def test_the_sites_script_formatter_writes_figures_as_the_reader_does(language, expected):
    script = (ROOT / "app/accounts/static/accounts/numbers.js").read_text(encoding="utf-8")
    harness = (
        f"globalThis.document = {{documentElement: {{lang: {json.dumps(language)}}}}};"
        "globalThis.window = {};"
        f"eval({json.dumps(script)});"
        "const n = window.readerNumber;"
        "console.log(JSON.stringify([n(48898.432, 2), n(8758), n(61.5, 1, {percent: true}),"
        " n(-0.001, 2), n(1234567.89, 1)]));"
    )

    result = subprocess.run(
        ["node", "-e", harness], capture_output=True, text=True, timeout=60, check=True
    )

    assert json.loads(result.stdout) == expected


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js (make assets installs it)")
@pytest.mark.parametrize(
    ("separators", "expected"),
    [
        ({"decimal": ",", "group": "."}, ["48.898,43", "8.758", "61,5%", "0,00", "1.234.567,9"]),
        ({"decimal": ".", "group": ","}, ["48,898.43", "8,758", "61.5%", "0.00", "1,234,567.9"]),
    ],
)
def test_the_formatter_writes_with_the_separators_the_server_gives_whatever_the_page(
    separators, expected
):
    """The dashboard's charts: the server's separators (number_convention), not a locale."""
    script = (ROOT / "app/accounts/static/accounts/numbers.js").read_text(encoding="utf-8")
    harness = (
        "globalThis.document = {documentElement: {lang: 'en'}};"
        "globalThis.window = {};"
        f"eval({json.dumps(script)});"
        f"const n = window.readerNumber.withSeparators({json.dumps(separators)});"
        "console.log(JSON.stringify([n(48898.432, 2), n(8758), n(61.5, 1, {percent: true}),"
        " n(-0.001, 2), n(1234567.89, 1)]));"
    )

    result = subprocess.run(
        ["node", "-e", harness], capture_output=True, text=True, timeout=60, check=True
    )

    assert json.loads(result.stdout) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", "48.898,43 ha · 61,5% · 8.758 · — ·  · n/a"),
        ("en", "48,898.43 ha · 61.5% · 8,758 · — ·  · n/a"),
    ],
)
def test_the_template_filters_write_figures_in_the_active_language(language, expected):
    template = Template(
        "{% load numbers %}{{ ha|number:2 }} ha · {{ pct|percent }} · {{ items|number }} · "
        "{{ dash|number }} · {{ nothing|percent }} · {{ text|number }}"
    )
    with translation.override(language):
        shown = template.render(
            Context(
                {
                    "ha": 48898.432,
                    "pct": 61.5,
                    "items": 8758,
                    "dash": "—",
                    "nothing": None,
                    "text": "n/a",
                }
            )
        )

    assert shown == expected
