"""The report document (app.reports.document) printed three ways: the printable page, a PDF
(WeasyPrint, from the same HTML and stylesheet) and a Word file (python-docx), the format
provincial offices edit. Thin on purpose: every word and figure comes from the document.
"""

import io
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from app.reports.document import Paragraph, Picture, ReportDocument, Table

STYLESHEET = "reports/report.css"

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    content_type: str
    file_name: str


class NoFetching(ValueError):
    pass


def pdf_file(document: ReportDocument) -> ReportFile:
    """The report as PDF: the print page through WeasyPrint, with the report's stylesheet."""
    # Imported here: WeasyPrint loads pango when imported, which only the PDF needs.
    from weasyprint import CSS, HTML

    html = render_to_string("reports/print.html", {"document": document})
    content = HTML(string=html, url_fetcher=_data_uris_only).write_pdf(
        stylesheets=[CSS(filename=finders.find(STYLESHEET))]
    )
    return ReportFile(content, CONTENT_TYPES["pdf"], f"{document.file_stem}.pdf")


def _data_uris_only(url: str, timeout: int = 10, ssl_context=None):
    """WeasyPrint's fetcher for the report: its pictures are data: URIs, and nothing else is
    fetched (no network, no file of the server), whatever a template might come to name."""
    if not url.startswith("data:"):
        raise NoFetching(f"the report fetches no {url!r}")
    from weasyprint.urls import default_url_fetcher

    return default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)


def docx_file(document: ReportDocument) -> ReportFile:
    """The report as a Word document: headings, paragraphs, tables and the PNG pictures."""
    word = Document()
    section = word.sections[0]
    section.left_margin = section.right_margin = Cm(1.8)
    usable_width = section.page_width - section.left_margin - section.right_margin
    # Word's own default font, which carries Vietnamese on the offices' machines (DejaVu, the
    # PDF's, is seldom installed there).
    word.styles["Normal"].font.size = Pt(9.5)
    word.core_properties.title = document.title
    word.core_properties.language = document.language
    word.add_heading(document.title, level=0)
    for fact in document.facts:
        word.add_paragraph(fact)
    for part in document.sections:
        word.add_heading(part.heading, level=1)
        for block in part.blocks:
            if isinstance(block, Paragraph):
                word.add_paragraph(block.text)
            elif isinstance(block, Table):
                _add_table(word, block)
            elif isinstance(block, Picture):
                word.add_picture(io.BytesIO(block.png), width=usable_width)
                word.add_paragraph(block.caption, style="Caption")
    buffer = io.BytesIO()
    word.save(buffer)
    return ReportFile(buffer.getvalue(), CONTENT_TYPES["docx"], f"{document.file_stem}.docx")


def _add_table(word, table: Table) -> None:
    if table.caption:
        word.add_paragraph(table.caption, style="Caption")
    rows = [table.headers, *table.rows, *([table.total] if table.total else [])]
    grid = word.add_table(rows=len(rows), cols=len(table.headers))
    grid.style = "Table Grid"
    for row_index, values in enumerate(rows):
        is_heading = row_index == 0
        is_total = table.total is not None and row_index == len(rows) - 1
        for column, value in enumerate(values):
            cell = grid.cell(row_index, column)
            cell.text = value
            paragraph = cell.paragraphs[0]
            if column > 0 and not is_heading:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for run in paragraph.runs:
                run.font.size = Pt(8)
                run.font.bold = is_heading or is_total
