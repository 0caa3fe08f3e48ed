"""The maps' legends, layer names, tooltips and place names in the page's language."""

import re

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.vietnamese]


def readable(page) -> str:
    """The page with Folium's JSON escapes (\\u0129) decoded, as a browser reads it."""
    text = page.content.decode()
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda match: chr(int(match.group(1), 16)), text)


def test_the_province_map_legend_is_in_vietnamese_by_default(client):
    page = readable(client.get("/maps/coverage/?year=2023"))

    assert "% CHA đã giải phóng" in page
    assert "Chưa ghi nhận CHA" in page
    assert "Chú giải" not in page or "Legend" not in page
    assert "% of CHA released" not in page and "No CHA recorded" not in page
    # Tooltip rows, and the names of the districts as they are written in Vietnamese.
    assert "Rà phá trong năm / chỉ tiêu" in page
    assert "Vĩnh Linh" in page and "Vinh Linh" not in page


def test_the_province_map_legend_is_in_english_when_asked(client):
    page = readable(client.get("/maps/coverage/?year=2023", HTTP_ACCEPT_LANGUAGE="en"))

    assert "% of CHA released" in page and "No CHA recorded" in page
    assert "Cleared this year / target" in page
    assert "% CHA đã giải phóng" not in page
    # English names where the unit has one.
    assert "Vinh Linh" in page and "Vĩnh Linh" not in page


def test_the_district_map_is_titled_in_the_pages_language(client):
    vietnamese = readable(client.get("/maps/districts/464/?year=2023"))
    english = readable(client.get("/maps/districts/464/?year=2023", HTTP_ACCEPT_LANGUAGE="en"))

    assert "Vĩnh Linh: nguy hiểm bom mìn và giải phóng đất đai đến 31 tháng 12 năm 2023" in (
        vietnamese
    )
    assert "Vinh Linh: hazard and land release by 31 December 2023" in english
    assert "Thôn: chưa khảo sát" in vietnamese and "Village: no survey yet" in english


def test_a_map_that_cannot_be_drawn_says_why_in_the_pages_language(client):
    vietnamese = client.get("/maps/coverage/?year=1900")
    english = client.get("/maps/coverage/?year=1900", HTTP_ACCEPT_LANGUAGE="en")

    assert vietnamese.status_code == english.status_code == 400
    assert "year phải là một năm từ 1975 đến 2100" in vietnamese.content.decode()
    assert "Không thể vẽ bản đồ này" in vietnamese.content.decode()
    assert "year must be a year between 1975 and 2100" in english.content.decode()
