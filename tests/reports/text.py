"""Reading a report back as its readers' tools do: the PDF with pypdf, the Word file with
python-docx, the page as its text; and the figures of the statistics' JSON written in a
language's convention, to look for in it."""

import html
import io
import re

import pypdf
from docx import Document

from gis.numbers import ENGLISH, VIETNAMESE, format_number

CONVENTIONS = {"en": ENGLISH, "vi": VIETNAMESE}
# Years and codes are not figures (gis.numbers); the forecast's projected years are written
# plainly and looked for as they are.
NOT_FIGURES = {"year", "from", "to", "years", "code"}


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def page_text(content: bytes) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", content.decode()))


def figures(body, *, language: str) -> set[str]:
    """Every figure of a statistics JSON, written as the report writes it in ``language``:
    hectares to 2 decimals, percentages to 1 with "%", counts whole, projected years plainly."""
    convention = CONVENTIONS[language]
    written = set()

    def walk(name: str, value) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(key, item)
        elif isinstance(value, list):
            for item in value:
                walk(name, item)
        elif value is None or isinstance(value, bool | str) or name in NOT_FIGURES:
            return
        elif name.startswith("year_at_"):
            written.add(str(value))
        elif name.endswith("_ha"):
            written.add(format_number(value, decimals=2, convention=convention))
        elif name.endswith("_pct") or name.startswith("pct_"):
            written.add(format_number(value, decimals=1, convention=convention) + "%")
        else:
            written.add(format_number(value, convention=convention))

    walk("", body)
    return written
