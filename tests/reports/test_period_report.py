"""The period report (2021-2025): a row per year, clearance per district and per organisation
summed over the years, the release as of the period's last 31 December; and `manage.py report`,
which writes the file the site serves."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from gis.numbers import ENGLISH, VIETNAMESE, format_number
from tests.accounting.shapes import ha
from tests.reports.conftest import CANCELLED_2023, CLEARED_2021, CLEARED_2023, REDUCED_2022
from tests.reports.text import docx_text, page_text, pdf_text

pytestmark = pytest.mark.django_db


def written(hectares: float, convention=ENGLISH) -> str:
    return format_number(hectares, decimals=2, convention=convention)


def test_the_period_report_has_a_row_per_year_and_sums_the_years_clearance(client, recorded_work):
    response = client.get("/reports/period/2021-2025/")
    text = page_text(response.content)

    assert response.status_code == 200
    assert "report for 2021–2025" in text
    for year in range(2021, 2026):
        assert f"<td>{year}</td>" in response.content.decode()
    # Hướng Hóa's clearance over the period: 2021's and 2023's cleared squares (the reduced and
    # the cancelled ones are released, not cleared).
    assert written(ha(CLEARED_2021) + ha(CLEARED_2023)) in text
    # Released CHA as of 2025-12-31 in Hướng Hóa: every method.
    released = ha(CLEARED_2021) + ha(REDUCED_2022) + ha(CLEARED_2023) + ha(CANCELLED_2023)
    assert written(released) in text
    assert "as of 2025-12-31" in text
    assert "a target is shown only where every year of the period has one" in text


def test_manage_py_report_writes_the_annual_report_as_pdf(recorded_work, tmp_path):
    out = tmp_path / "report.pdf"

    call_command(
        "report", "annual", "--year", "2023", "--lang", "vi", "--format", "pdf", "--out", str(out)
    )

    assert written(ha(CLEARED_2023), VIETNAMESE) in pdf_text(out.read_bytes())


def test_manage_py_report_writes_the_period_report_as_word(recorded_work, tmp_path):
    out = tmp_path / "report.docx"

    call_command(
        "report",
        "period",
        "--from",
        "2021",
        "--to",
        "2025",
        "--lang",
        "en",
        "--format",
        "docx",
        "--out",
        str(out),
    )

    assert written(ha(CLEARED_2021) + ha(CLEARED_2023)) in docx_text(out.read_bytes())


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["period", "--from", "2025", "--to", "2021"], "the period starts after it ends"),
        (["annual", "--year", "2023", "--format", "odt"], "format:"),
        (["annual", "--year", "2023", "--as-recorded", "1990-01-01"], "--as-recorded:"),
    ],
)
def test_manage_py_report_refuses_wrong_arguments_and_writes_nothing(arguments, message, tmp_path):
    out = tmp_path / "report.pdf"

    with pytest.raises(CommandError, match=message):
        call_command("report", *arguments, "--out", str(out))

    assert not out.exists()


def test_the_release_counts_to_today_in_a_year_not_yet_over(client, recorded_work):
    this_year = date.today().year

    text = page_text(client.get(f"/reports/annual/{this_year}/").content)

    assert f"as of {date.today().isoformat()}" in text
