"""The one error the reading layer raises for a file it cannot take.

Callers (the import command, the upload API) show ``message`` to the person who sent the file and
branch on ``code``; ``choices`` carries what the user may pick from (layer names, candidate CRSs).
"""

from gis.messages import Text

SUPPORTED_FORMATS = (
    "zipped shapefile (.zip holding .shp, .shx, .dbf and .prj)",
    "GeoPackage (.gpkg)",
    "GeoJSON (.geojson, .json)",
    "KML (.kml)",
    "KMZ (.kmz)",
    "GPX (.gpx)",
    "CSV with lon/lat or WKT columns (.csv)",
)


class ReadError(Exception):
    """A file that cannot be read as a layer, with a message a field coordinator can act on.

    ``code`` is stable and machine-readable (e.g. ``crs_missing``, ``several_layers``,
    ``unsupported_format``); ``message`` says what is wrong and what to send instead, in English;
    most messages are a ``gis.messages.Text``, which the app can give in the reader's language.
    """

    def __init__(self, code: str, message: str, *, choices: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.choices = choices

    def __str__(self) -> str:
        return self.message


def unsupported_format(what: str) -> ReadError:
    return ReadError(
        "unsupported_format",
        Text("unsupported_format", what=what, formats="; ".join(SUPPORTED_FORMATS)),
    )
