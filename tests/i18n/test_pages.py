"""Pages speak Vietnamese unless the browser (Accept-Language) or the user's profile asks for
English; the choice of the profile wins over the browser's."""

import json
import re

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.vietnamese
def test_a_page_is_in_vietnamese_by_default(client):
    page = client.get("/uploads/new/")

    html = page.content.decode()
    assert page.status_code == 200
    assert page["Content-Language"] == "vi"
    assert "Gửi tệp khảo sát hoặc rà phá" in html
    assert "Send a survey or clearance file" not in html


@pytest.mark.vietnamese
def test_a_page_is_in_english_when_the_browser_asks_for_it(client):
    page = client.get("/uploads/new/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")

    html = page.content.decode()
    assert page["Content-Language"] == "en"
    assert "Send a survey or clearance file" in html
    assert "Gửi tệp khảo sát hoặc rà phá" not in html


@pytest.mark.vietnamese
def test_the_language_of_the_profile_wins_over_the_browsers(client):
    planner = factories.user("analyst", language="en")
    client.force_login(planner)

    page = client.get("/uploads/", HTTP_ACCEPT_LANGUAGE="vi")

    assert page["Content-Language"] == "en"
    assert "Send a new file" in page.content.decode()


@pytest.mark.vietnamese
def test_the_upload_pages_scripts_get_their_words_in_the_pages_language(client):
    vietnamese = script_texts(client.get("/uploads/new/"))
    english = script_texts(client.get("/uploads/new/", HTTP_ACCEPT_LANGUAGE="en"))

    assert vietnamese.keys() == english.keys()
    assert english["confirm_revert"].startswith("Remove every record this upload stored?")
    assert vietnamese["confirm_revert"].startswith("Gỡ bỏ mọi bản ghi mà lần tải lên này đã lưu?")
    assert vietnamese["status"]["ready"] == "sẵn sàng"


def script_texts(page) -> dict:
    """The words a page hands its scripts (json_script "upload-texts", read by texts.js)."""
    found = re.search(
        r'<script id="upload-texts" type="application/json">(.*?)</script>', page.content.decode()
    )
    return json.loads(found.group(1))
