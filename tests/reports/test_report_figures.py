"""The 2023 annual report, read back from its PDF (pypdf) and its Word file (python-docx) in both
languages, holds every figure of the statistics' JSON for 2023, in that language's convention."""

import pytest

from tests.reports.text import docx_text, figures, pdf_text

pytestmark = pytest.mark.django_db

STATISTICS = [
    ("/api/v1/stats/progress/", {"from": 2023, "to": 2023}),
    ("/api/v1/stats/clearance/", {"year": 2023, "by": "district"}),
    ("/api/v1/stats/clearance/", {"year": 2023, "by": "organisation"}),
    ("/api/v1/stats/release/", {"as_of": "2023-12-31", "by": "district"}),
    ("/api/v1/stats/forecast/", {"as_of": "2023-12-31", "by": "province"}),
]
READ_BACK = {"pdf": pdf_text, "docx": docx_text}


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("file_format", ["pdf", "docx"])
def test_the_annual_report_holds_every_figure_of_the_statistics_in_its_language(
    client, recorded_work, language, file_format
):
    response = client.get("/reports/annual/2023/", {"lang": language, "format": file_format})
    text = READ_BACK[file_format](response.content)

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="landrelease-report-2023-{language}.{file_format}"'
    )
    expected = set()
    for url, query in STATISTICS:
        body = client.get(url, query).json()
        expected |= figures(body, language=language)
    missing = sorted(figure for figure in expected if figure not in text)
    assert missing == []
    # The thousands separator of the language: 1.234 items in Vietnamese, 1,234 in English.
    assert ("1.234" if language == "vi" else "1,234") in text


@pytest.mark.vietnamese
def test_the_report_is_in_the_readers_language_unless_lang_says_otherwise(client, recorded_work):
    vietnamese = client.get("/reports/annual/2023/").content.decode()
    english = client.get("/reports/annual/2023/", {"lang": "en"}).content.decode()

    assert '<div lang="vi">' in vietnamese
    assert '<div lang="en">' in english
    assert "Land release in Quảng Trị province: annual report 2023" in english
