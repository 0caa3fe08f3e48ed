"""Moments on the pages are shown in the site's time zone (Asia/Ho_Chi_Minh, UTC+7) and in the
reader's language's format, never as the UTC ISO text they are stored as."""

import datetime as dt
import re

import pytest
from django.utils import formats, timezone, translation
from shapely.geometry import box

from app.registry.models import ReleaseArea
from app.uploads.models import Upload
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.vietnamese]

# 17:30 UTC on 1 March is 00:30 on 2 March in Quảng Trị.
DELETED_AT = dt.datetime(2026, 3, 1, 17, 30, tzinfo=dt.UTC)


def _shown(page) -> str:
    """The page without its scripts' data (the map's GeoJSON keeps the stored ISO text)."""
    return re.sub(r"<script.*?</script>", "", page.content.decode(), flags=re.S)


@pytest.fixture
def deleted_release():
    release = factories.release(box(106.95, 17.0, 106.951, 17.001))
    ReleaseArea.objects.filter(pk=release.pk).update(deleted_at=DELETED_AT)
    return release


def test_the_deletion_time_is_local_and_vietnamese(client, deleted_release):
    html = _shown(client.get(f"/records/releases/{deleted_release.pk}/"))

    assert "Đã xóa (00:30 02-03-2026)" in html
    assert "2026-03-01T17:30" not in html


def test_the_deletion_time_is_local_and_english_when_asked(client, deleted_release):
    page = client.get(f"/records/releases/{deleted_release.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    html = _shown(page)
    assert "Deleted (2 Mar 2026, 00:30)" in html
    assert "2026-03-01T17:30" not in html


def test_the_history_shows_when_and_the_deletion_as_moments(client, deleted_release):
    html = _shown(client.get(f"/records/releases/{deleted_release.pk}/"))

    assert "Thời điểm xóa</span>: — → 00:30 02-03-2026" in html
    with translation.override("vi"):
        created = formats.date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")
    assert created[-10:] in html  # today's date, as the history's "When" column writes it


def test_the_upload_list_shows_when_each_file_was_sent_in_local_time(client):
    upload = Upload.objects.create(
        organisation=factories.organisation("npa"),
        kind="release",
        filename="r.geojson",
        sha256="2" * 64,
        size_bytes=1,
    )
    Upload.objects.filter(pk=upload.pk).update(created_at=DELETED_AT)

    html = _shown(client.get("/uploads/"))

    assert "<td>00:30 02-03-2026</td>" in html
