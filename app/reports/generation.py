"""One report, from the request to the file: read the figures in the reader's scope, lay them out
in the report's language, print them. The pages (app.reports.views) and ``manage.py report``
both call these, so the command writes the file the site serves.
"""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from app.registry.scopes import ReadingScope, reading
from app.reports.content import report_content
from app.reports.document import ReportDocument, report_document
from app.reports.rendering import CONTENT_TYPES, STYLESHEET, ReportFile, docx_file, pdf_file


def build_report(
    *, from_year: int, to_year: int, scope: ReadingScope, language: str
) -> ReportDocument:
    """The report for ``from_year``–``to_year`` in ``language``, counting what ``scope`` allows.

    Raises InvalidReportParameter (a year the selectors refuse) and BeforeHistory (an
    as_recorded day before the registry's history), each naming its parameter."""
    with translation.override(language):
        with reading(scope):
            content = report_content(from_year=from_year, to_year=to_year)
        # Laid out (and its maps drawn) after the read transaction is closed.
        return report_document(content, small_cha_ha=settings.MAP_SMALL_CHA_HA)


def report_file(document: ReportDocument, *, file_format: str) -> ReportFile:
    """The document as ``pdf``, ``docx`` or ``html`` (a page standing alone, its stylesheet
    inside: the command's file; the site's page is app.reports.views')."""
    with translation.override(document.language):
        if file_format == "pdf":
            return pdf_file(document)
        if file_format == "docx":
            return docx_file(document)
        html = render_to_string(
            "reports/print.html", {"document": document, "inline_css": _stylesheet()}
        )
        return ReportFile(html.encode(), CONTENT_TYPES["html"], f"{document.file_stem}.html")


def _stylesheet() -> str:
    with open(finders.find(STYLESHEET), encoding="utf-8") as css:
        return css.read()
