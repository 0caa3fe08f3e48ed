"""Excel workbook (.xlsx, Office Open XML) written by openpyxl in write-only mode.

Write-only mode writes each row to a temporary file as it comes and keeps none in memory, so a
million rows need no more memory than ten. The first sheet, named after the layer, holds one
row per feature: the fields (their full labels as the header), then the centroid's longitude
and latitude in WGS 84 degrees; numbers are numbers and dates are dates, so that Excel and
LibreOffice sum and sort them. Polygon layers carry their area in hectares among their fields
(the app adds it). A sheet holds at most 1,048,576 rows: past that the rows go on in a sheet
"<layer> (2)", and so on. The last sheet, "export", says what was exported and lists the fields.
"""

import os
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from gis.exports.features import ExportLayer, FeatureBatch, checked
from gis.exports.gdal_stream import Destination

EXTENSION = ".xlsx"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 1_048_576
# Excel refuses longer sheet names and these characters in them.
SHEET_NAME_LENGTH = 31
SHEET_NAME_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
DATE_FORMAT = "yyyy-mm-dd"
# Column widths in characters: a date or a centroid fits in 12.
MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH = 12, 40
EXPORT_SHEET = "export"

CENTROID_LABELS = ("centroid_lon", "centroid_lat")


def write_excel(
    batches: Iterable[FeatureBatch],
    *,
    layer: ExportLayer,
    destination: Destination,
    centroid_labels: tuple[str, str] = CENTROID_LABELS,
    field_heading: tuple[str, str, str] = ("name", "type", "label"),
) -> int:
    """Write the batches as a workbook to ``destination`` (a path, replaced if it exists, or a
    binary file object); return the number of features written.

    ``centroid_labels`` head the two centroid columns, ``field_heading`` the field table of the
    "export" sheet: the app passes them in the reader's language.
    """
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def heading(sheet, values) -> None:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    def new_sheet(number: int):
        name = layer.name.translate(SHEET_NAME_FORBIDDEN)
        if number > 1:
            suffix = f" ({number})"
            name = name[: SHEET_NAME_LENGTH - len(suffix)] + suffix
        sheet = workbook.create_sheet(name[:SHEET_NAME_LENGTH])
        sheet.freeze_panes = "A2"
        # Wide enough for the header (a write-only sheet takes widths before its first row).
        for number, label in enumerate([*(f.label for f in layer.fields), *centroid_labels], 1):
            width = max(MIN_COLUMN_WIDTH, min(len(label) + 2, MAX_COLUMN_WIDTH))
            sheet.column_dimensions[get_column_letter(number)].width = width
        heading(sheet, [*(f.label for f in layer.fields), *centroid_labels])
        return sheet

    date_columns = [i for i, f in enumerate(layer.fields) if f.type == "date"]
    sheet_number, rows_in_sheet = 1, 1
    sheet = new_sheet(sheet_number)
    count = 0
    for batch in checked(batches, layer):
        for row, lon, lat in zip(
            batch.rows(layer.fields), batch.centroid_lon, batch.centroid_lat, strict=True
        ):
            if rows_in_sheet == MAX_ROWS:
                sheet_number, rows_in_sheet = sheet_number + 1, 1
                sheet = new_sheet(sheet_number)
            for i in date_columns:
                if row[i] is not None:
                    cell = WriteOnlyCell(sheet, value=row[i])
                    cell.number_format = DATE_FORMAT
                    row[i] = cell
            sheet.append([*row, lon, lat])
            rows_in_sheet += 1
        count += len(batch)

    export = workbook.create_sheet(EXPORT_SHEET)
    for what, value in layer.metadata.items():
        export.append([WriteOnlyCell(export, value=what), value])
    export.append([])
    heading(export, field_heading)
    for f in layer.fields:
        export.append([f.name, f.type, f.label])

    if isinstance(destination, str | os.PathLike):
        workbook.save(os.fspath(destination))
    else:
        workbook.save(destination)
    return count
