"""manage.py render_map writes the page /maps/coverage/ serves."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from app.registry.models import AdminUnit
from tests import factories

from .factories import INSIDE_465, square

pytestmark = pytest.mark.django_db

LON, LAT = INSIDE_465


def test_it_writes_the_province_map(tmp_path, readable):
    factories.hazard(square(LON, LAT, 0.01))
    factories.release(square(LON, LAT, 0.005), method="cleared", completed_on=date(2022, 5, 1))
    out = tmp_path / "coverage.html"

    call_command("render_map", "--year", "2023", "--out", str(out))

    page = readable(out.read_text(encoding="utf-8"))
    for name in AdminUnit.objects.filter(level="district").values_list("name_en", flat=True):
        assert name in page
    assert "/static/maps/vendor/leaflet/leaflet.js" in page
    assert "by 31 December 2023" in page


def test_it_writes_the_map_in_the_language_asked_for(tmp_path, readable):
    out = tmp_path / "ban_do.html"

    call_command("render_map", "--year", "2023", "--out", str(out), "--language", "vi")

    page = readable(out.read_text(encoding="utf-8"))
    for name in AdminUnit.objects.filter(level="district").values_list("name_vi", flat=True):
        assert name in page
    assert "đến 31 tháng 12 năm 2023" in page and "% CHA đã giải phóng" in page


def test_it_takes_another_asset_base_url(tmp_path):
    out = tmp_path / "coverage.html"

    call_command("render_map", "--year", "2023", "--out", str(out), "--asset-base-url", "vendor")

    assert 'src="vendor/leaflet/leaflet.js"' in out.read_text(encoding="utf-8")


def test_it_refuses_an_implausible_year(tmp_path):
    with pytest.raises(CommandError, match="--year must be between 1975 and 2100"):
        call_command("render_map", "--year", "1800", "--out", str(tmp_path / "x.html"))


def test_it_refuses_a_missing_folder(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("render_map", "--year", "2023", "--out", str(tmp_path / "no" / "x.html"))


def test_the_file_carries_no_nav_bar(tmp_path):
    out = tmp_path / "coverage.html"

    call_command("render_map", "--year", "2023", "--out", str(out))

    page = out.read_text(encoding="utf-8")
    assert "map-page-header" not in page
    assert "site-nav" not in page
