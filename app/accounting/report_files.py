"""A report table (app.accounting.report_tables) as a CSV or an Excel file, and the renderers
that make ``?format=csv`` and ``?format=xlsx`` formats of the stats endpoints.

Numbers stay numbers. In Excel: numeric cells, hectares with the number format ``0.00`` and
percentages ``0.0`` (the values themselves are the JSON's, already rounded to those places); the
figures on the first sheet, what they cover on the second. In CSV: plain decimals with a dot,
UTF-8 with a BOM (Excel otherwise reads Vietnamese as Windows-1252), and what the figures cover
in trailing columns repeated on every row: the header stays the first line, so Excel's filters
and pivot tables, pandas and csv.DictReader read the file with no lines to skip, and a row
pasted elsewhere keeps its scope. A leading block of notes would break all of those.
"""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from rest_framework.renderers import BaseRenderer, JSONRenderer

from app.accounting.report_tables import ReportTable

NUMBER_FORMATS = {"ha": "0.00", "pct": "0.0", "count": "0"}
CSV_PLACES = {"ha": 2, "pct": 1}
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's limit on a sheet's name.
SHEET_NAME_MAX = 31


# A text cell opening with one of these is a formula to Excel and LibreOffice (CSV injection):
# an organisation named "=HYPERLINK(...)" must reach the sheet as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def _csv_value(value, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        places = CSV_PLACES.get(kind)
        return f"{value:.{places}f}" if places is not None else str(value)
    return _text(str(value))


def csv_bytes(table: ReportTable) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([column.header for column in table.columns] + [k for k, _v in table.about])
    about = [_text(value) for _k, value in table.about]
    for row in table.rows:
        cells = [_csv_value(v, column.kind) for v, column in zip(row, table.columns, strict=True)]
        writer.writerow(cells + about)
    return text.getvalue().encode("utf-8-sig")


def xlsx_bytes(table: ReportTable) -> bytes:
    """Two sheets: the figures, what they cover (``table.sheet_names``)."""
    figures_sheet, about_sheet = table.sheet_names
    book = Workbook()
    figures = book.active
    figures.title = figures_sheet[:SHEET_NAME_MAX]
    bold = Font(bold=True)
    figures.append([column.header for column in table.columns])
    for cell in figures[1]:
        cell.font = bold
    for row in table.rows:
        figures.append(list(row))
        for cell, column in zip(figures[figures.max_row], table.columns, strict=True):
            if column.kind in NUMBER_FORMATS and isinstance(cell.value, int | float):
                cell.number_format = NUMBER_FORMATS[column.kind]
            elif isinstance(cell.value, str):
                # openpyxl takes a string opening with "=" for a formula: text it is.
                cell.data_type = "s"
    for cell in figures[figures.max_row]:
        cell.font = bold
    figures.freeze_panes = "A2"
    for number, column in enumerate(table.columns, start=1):
        figures.column_dimensions[get_column_letter(number)].width = min(
            max(len(column.header), 10) + 2, 40
        )
    about = book.create_sheet(about_sheet[:SHEET_NAME_MAX])
    for label, value in table.about:
        about.append([label, value])
        about.cell(about.max_row, 1).font = bold
        about.cell(about.max_row, 2).data_type = "s"
    about.column_dimensions["A"].width = 30
    about.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class _TableRenderer(BaseRenderer):
    """Writes a ReportTable (the view's answer for this format); anything else, an error the
    view or DRF raised, is written as the API's JSON."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, ReportTable):
            return self.write(data)
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
            response.headers.pop("Content-Disposition", None)
        return JSONRenderer().render(data, renderer_context=renderer_context)


class CsvTableRenderer(_TableRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def write(self, table: ReportTable) -> bytes:
        return csv_bytes(table)


class XlsxTableRenderer(_TableRenderer):
    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def write(self, table: ReportTable) -> bytes:
        return xlsx_bytes(table)
