"""The sentences of an upload's report, each with a stable code and its parameters.

A report is stored once, in English: the command line prints it and the API returns it. So that
a reader can have it in their own language, every sentence a person reads in it is a ``Text``:
it *is* the English sentence (a ``str``, so it prints, joins, compares and is stored as before)
and it also carries the ``code`` of its template in ``TEMPLATES`` and the ``params`` it was
filled with. The report keeps both (``as_coded``); the app translates the template and fills it
again for each reader (app/uploads/report_text.py), falling back to the English sentence.

Templates use ``str.format`` fields. A parameter may itself be a Text (a reason inside "feature
3 (NPA-3): ..."), translated in its turn. A figure is a ``Number`` (``km=Number(7.26, 1)``) and
a calendar day a ``Day``: the report keeps the value ({"number": 7.26, "decimals": 1}, {"day":
"2026-11-24"}) and each reader's sentence writes it in their convention (gis.numbers: 7,3 in
Vietnamese, 7.3 in English; the day in their date format), the stored English in English's.
Counts, feature numbers and codes given as plain ints print as they are.

``gettext_noop`` below translates nothing: it only marks each template for the app's
``manage.py makemessages``, which finds strings by that name, so the English of a message is
written once, here. gis never imports Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from gis.numbers import ENGLISH, NumberConvention, format_number


def gettext_noop(template: str) -> str:
    return template


TEMPLATES: Mapping[str, str] = {
    # Per feature, geometry (gis.validation)
    "no_geometry": gettext_noop("no geometry (null)"),
    "empty_geometry": gettext_noop("empty geometry"),
    "geometry_unreadable": gettext_noop("geometry could not be read ({detail})"),
    "x_not_a_number": gettext_noop(
        "vertex {vertex}: the x coordinate (easting or longitude) is {value}, not a number"
    ),
    "y_not_a_number": gettext_noop(
        "vertex {vertex}: the y coordinate (northing or latitude) is {value}, not a number"
    ),
    "too_many_vertices": gettext_noop(
        "has {count} vertices; a feature may have at most {limit}: simplify the outline or "
        "split the feature"
    ),
    "z_dropped": gettext_noop("Z (height) values dropped"),
    "multipoint_as_point": gettext_noop("a one-point MultiPoint stored as a Point"),
    "point_required": gettext_noop("is a {type}; a point is required"),
    "polygon_required": gettext_noop("is a {type}; a polygon is required"),
    "collection_mixed": gettext_noop(
        "is a GeometryCollection mixing {types}; only polygons can be stored: split the feature "
        "or remove the points and lines"
    ),
    "collection_as_multipolygon": gettext_noop(
        "a GeometryCollection of polygons stored as a MultiPolygon"
    ),
    "repair_not_polygon": gettext_noop(
        "invalid polygon ({reason}); the repair is not a polygon ({type}), so it was not "
        "applied: redraw the outline"
    ),
    "repair_moves_area": gettext_noop(
        "invalid polygon ({reason}); repairing it would change its area from {before} ha to "
        "{after} ha (more than 1%): redraw the outline"
    ),
    "repaired": gettext_noop(
        "invalid polygon ({reason}) repaired with make_valid; area {before} ha -> {after} ha "
        "({change})"
    ),
    "vertex_gap": gettext_noop("vertices {km} km apart (more than 5 km): check for a stray vertex"),
    "few_vertices": gettext_noop("a ring has only {count} distinct vertices"),
    "parts_overlap": gettext_noop("parts of the multipolygon overlap ({ha} ha)"),
    "same_geometry": gettext_noop("same geometry as feature {feature}"),
    # Per feature, attributes (gis.attributes)
    "value_empty": gettext_noop("is empty"),
    "value_not_one_of": gettext_noop("{value} is not one of {accepted}"),
    "value_not_a_date": gettext_noop("{value} is not a date (use YYYY-MM-DD or dd/mm/yyyy)"),
    "value_not_a_count": gettext_noop("{value} is not a whole number of 0 or more"),
    "column_error": gettext_noop("column {column} ({field}): {error}"),
    # A parsed value its database column cannot hold (gis.attributes.ColumnLimit)
    "value_too_long": gettext_noop(
        "is {length} characters long ({value}); at most {limit} can be stored"
    ),
    "value_has_nul": gettext_noop("contains a NUL character, which cannot be stored: remove it"),
    "value_above_maximum": gettext_noop("{value} is more than {limit}, the most it can store"),
    "value_below_minimum": gettext_noop("{value} is less than {limit}, the least it can store"),
    "value_too_many_digits": gettext_noop(
        "{value} has more than {digits} digits before the decimal point ({places} after it)"
    ),
    "value_not_a_number": gettext_noop("{value} is not a number"),
    "column_empty": gettext_noop("column {column} ({field}) is empty"),
    "no_column": gettext_noop(
        "no column for {field} (looked for {names}; map one with {field}=COLUMN)"
    ),
    "started_after_completed": gettext_noop(
        "started_on {started} is after completed_on {completed}"
    ),
    "depth_not_cleared": gettext_noop(
        "depth_cm is given but the method is not cleared (depth is clearance only)"
    ),
    # Per feature, in the whole file and against the store (app.registry.services.imports,
    # app.uploads.services.check_report)
    "reference_repeated": gettext_noop("reference {reference} is also used by feature {feature}"),
    "feature_warning": gettext_noop("feature {feature} ({reference}): {warning}"),
    "reference_held_elsewhere": gettext_noop(
        "{field} {reference} is already held by a record of another organisation, which this "
        "upload cannot replace: use another {field}"
    ),
    "date_in_future": gettext_noop("{field} {date} is in the future"),
    "outside_area": gettext_noop("outside the operating area, {km} km from it"),
    # The file (gis.reading)
    "z_dropped_from": gettext_noop(
        "Z (height) values dropped from {count} feature(s): areas are 2D."
    ),
    "csv_assumed_wgs84": gettext_noop("A CSV carries no CRS: WGS 84 longitude/latitude assumed."),
    "only_layer_with_features": gettext_noop("Read layer {layer}, the only one with features."),
    "kml_folders_together": gettext_noop("Read {count} KML folders together: {folders}."),
    # The whole upload (app.uploads.services.check_report and check)
    "identical_geometries": gettext_noop(
        "{count} group(s) of features have identical geometries (first: features {features})"
    ),
    "overlaps_stored": gettext_noop(
        "{count} overlap(s) with records already stored (first: feature {feature} with {stored})"
    ),
    "outside_cha": gettext_noop(
        "{count} release(s) lie outside every CHA (counted as clearance outside CHA)"
    ),
    "no_features_in_layer": gettext_noop("The layer has no features."),
    "all_rejected": gettext_noop(
        "No feature can be stored: all {count} were rejected (see 'rejected' for each "
        "feature's reason)."
    ),
    "some_rejected": gettext_noop("{count} feature(s) rejected"),
    "references_stored": gettext_noop("{count} reference(s) already stored"),
    "duplicate_upload": gettext_noop(
        "This file is a duplicate of upload {id}, committed on {day}: nothing was stored again."
    ),
    "duplicate_committed_meanwhile": gettext_noop(
        "This file is a duplicate of upload {id}, committed on {day} after this one was "
        "checked: nothing was stored."
    ),
    "operating_area_misconfigured": gettext_noop(
        "The server's operating area is misconfigured: {detail}. Tell its administrator."
    ),
    "check_failed": gettext_noop("The check failed unexpectedly ({error}); nothing was stored."),
    # The worker (app.uploads.worker): an upload whose processing raised, or that stopped its
    # worker (killed, or its database connection lost) at every attempt, ends failed alone.
    "commit_failed": gettext_noop(
        "The commit failed unexpectedly ({error}); nothing was stored. Send the file to the "
        "database manager with the upload number."
    ),
    "check_gave_up": gettext_noop(
        "The check was started {attempts} times and never finished; nothing was stored. Send "
        "the file to the database manager with the upload number."
    ),
    "commit_gave_up": gettext_noop(
        "The commit was started {attempts} times and never finished; nothing was stored. Send "
        "the file to the database manager with the upload number."
    ),
    # How the coordinate system was found (gis.crs, gis.reading.reprojection): crs_how
    "crs_how": gettext_noop("{origin}; {how}"),
    "crs_given": gettext_noop("given with the upload"),
    "crs_declared": gettext_noop("declared"),
    "crs_in_file": gettext_noop("declared in the file"),
    "crs_from_prj": gettext_noop("declared in the .prj file"),
    "crs_from_gpkg": gettext_noop("declared by the GeoPackage layer"),
    "crs_kml": gettext_noop("KML is WGS 84 by definition"),
    "crs_gpx": gettext_noop("GPX is WGS 84 by definition"),
    "crs_from_geojson": gettext_noop(
        "declared by the GeoJSON file (WGS 84 unless it says otherwise)"
    ),
    "crs_csv_assumed": gettext_noop(
        "assumed: a CSV carries no CRS, its coordinates are WGS 84 lon/lat"
    ),
    "crs_declared_not_used": gettext_noop(
        "The file declares {declared}; {used} was used as asked."
    ),
    "crs_code_given": gettext_noop("EPSG code given ({given})"),
    "crs_code_declared": gettext_noop("declared EPSG code (EPSG:{code})"),
    "crs_matched": gettext_noop("matched {what} to EPSG:{code} ({name})"),
    "crs_matched_for": gettext_noop("matched {what} to EPSG:{code} ({name}); {reason}"),
    "crs_rebuilt_on_datum": gettext_noop(
        "{what} on the {datum} datum ({reason}) matches no EPSG system; its own projection was "
        "kept on the EPSG {datum} datum (EPSG:{code}) so the EPSG datum transformation applies"
    ),
    "crs_as_written": gettext_noop("{what} matches no EPSG system; used as written"),
    "crs_as_written_ballpark": gettext_noop(
        "{what} matches no EPSG system; used as written (its datum has no known transformation "
        "to WGS 84: expect errors of up to ~100 m)"
    ),
    "datum_named": gettext_noop("the datum is named {datum}"),
    "datum_by_towgs84": gettext_noop("its TOWGS84 shift is the published {datum} one"),
    "datum_unnamed_vn2000_grid": gettext_noop(
        "the datum is unnamed, but this grid on the WGS 84 ellipsoid is the VN-2000 provincial "
        "TM-3 grid"
    ),
    # How the text encoding was found (gis.encodings, gis.reading): encoding_how
    "encoding_given": gettext_noop("given with the upload"),
    "encoding_detected": gettext_noop("no encoding declared; {how}"),
    "encoding_utf8_format": gettext_noop("{format} text is UTF-8 by definition"),
    "encoding_ascii": gettext_noop("the text is plain ASCII"),
    "encoding_all_utf8": gettext_noop("every text value is valid UTF-8"),
    "encoding_read_as": gettext_noop(
        "not UTF-8; read as {label}, {good} of {total} accented words are {kind} (other "
        "readings: {others})"
    ),
    "western_words": gettext_noop("Western words"),
    "vietnamese_syllables": gettext_noop("Vietnamese syllables"),
    "encoding_tie": gettext_noop("{how}; {best} and {runner_up} read equally well"),
    "encoding_guess": gettext_noop("{how}; this is a guess: give the encoding"),
    "encoding_in_sidecar": gettext_noop("declared in the {suffix} file ({text})"),
    "encoding_language_byte": gettext_noop(
        "declared by the DBF language driver byte {byte} ({note})"
    ),
    "encoding_ansi_is_vietnamese": gettext_noop(
        "{declared}, but ANSI is the writer's Windows code page and the text is Vietnamese: "
        "{detected}"
    ),
    "encoding_reads_vietnamese": gettext_noop(
        "{how}, but the text reads as Vietnamese: {detected}"
    ),
    # Why a file cannot be read at all (gis.reading.ReadError messages)
    "crs_missing": gettext_noop(
        "{name} has {what}, so its coordinates cannot be placed; it is never guessed. {hint} "
        "(crs, e.g. EPSG:32648 for UTM 48N or EPSG:9212 for VN-2000 Quảng Trị)."
    ),
    "no_prj_file": gettext_noop("no .prj file"),
    "no_crs": gettext_noop("no coordinate system"),
    "crs_candidates": gettext_noop(
        "Systems that place the features {where}: {listed}. Give the one the survey used"
    ),
    "crs_no_candidates": gettext_noop(
        "No common system places the features {where}. Give the one the survey used"
    ),
    "inside_operating_area": gettext_noop("inside the operating area"),
    "where_used": gettext_noop("where they are used"),
    "zip_several_layers": gettext_noop(
        "The zip holds {count} layers: {names}. Say which one to import (layer), or send one "
        "per zip."
    ),
    "dataset_several_layers": gettext_noop(
        "{name} holds {count} layers: {described}. Say which one to import (layer)."
    ),
    "zip_unknown_layer": gettext_noop("The zip holds nothing named {layer}; it holds: {names}."),
    "dataset_unknown_layer": gettext_noop("{name} has no layer {layer}; its layers are: {names}."),
    "shapefile_part_missing": gettext_noop(
        "The shapefile {name} is missing its {missing} file. A shapefile is a set: zip .shp, "
        ".shx, .dbf and .prj (and .cpg if there is one) together."
    ),
    "shapefile_without_shp": gettext_noop(
        "The zip holds parts of a shapefile but no .shp (geometry) file: {found}. Zip the whole "
        "set (.shp, .shx, .dbf, .prj) and send it again."
    ),
    "zip_without_gis_file": gettext_noop(
        "The zip holds no shapefile (.shp) or other GIS file (it holds: {listed})."
    ),
    "not_a_zip": gettext_noop(
        "The file is not a readable zip archive ({detail}). It may be truncated or not a zip at "
        "all: zip the shapefile set (.shp, .shx, .dbf, .prj) again and resend it."
    ),
    "table_without_geometry": gettext_noop(
        "{name} is a table without geometry (no coordinates): nothing can be placed on the map. "
        "For a CSV, name the columns lon and lat, or wkt."
    ),
    "no_feature_has_geometry": gettext_noop(
        "None of the {count} features of {layer} has a geometry: nothing can be placed on the map."
    ),
    "layer_without_features": gettext_noop("The layer {layer} holds no features."),
    "too_many_features": gettext_noop(
        "The layer {layer} holds more than {limit} features, the most one upload may hold: split "
        "the file (by year or by district, say) and send each part."
    ),
    "no_layer_has_features": gettext_noop("None of the layers of {name} has features."),
    "unsupported_format": gettext_noop("Unsupported format: {what}. Supported formats: {formats}."),
    "unreadable": gettext_noop(
        "{name} could not be read as {format}: {detail}. The file may be damaged or not what its "
        "name says."
    ),
    "not_utf8": gettext_noop(
        "The text in {name} is not UTF-8, which {format} files must use ({detail}). Save it "
        "again as UTF-8."
    ),
    "remote_link": gettext_noop(
        "The KML only links to another file on the internet (NetworkLink); links are never "
        "fetched. Open it in Google Earth, save the features themselves and send that file."
    ),
    "image_overlay": gettext_noop(
        "The KML holds only an image overlay (GroundOverlay), not drawn features; an image "
        "footprint is not survey data."
    ),
    "empty_file": gettext_noop("The file is empty (0 bytes)."),
}


@dataclass(frozen=True)
class Number:
    """A figure in a sentence: ``value`` to ``decimals`` places, "%" after it if ``percent``."""

    value: float
    decimals: int = 0
    percent: bool = False

    def coded(self) -> dict[str, Any]:
        coded: dict[str, Any] = {"number": float(self.value), "decimals": self.decimals}
        if self.percent:
            coded["percent"] = True
        return coded


@dataclass(frozen=True)
class Day:
    """A calendar day in a sentence (already in the time zone it is meant in)."""

    day: dt.date

    def coded(self) -> dict[str, Any]:
        return {"day": self.day.isoformat()}


def _stored(value: Any) -> Any:
    """A parameter as the report stores it (JSON): a Text as itself (coded by ``as_coded``), a
    Number or Day as its value, anything else that is not JSON (a date, a path) as its text."""
    if isinstance(value, Number | Day):
        return value.coded()
    if isinstance(value, str | int | float | bool) or _is_number_or_day(value):
        return value
    return str(value)


def _is_number_or_day(value: Any) -> bool:
    return isinstance(value, Mapping) and ("number" in value or "day" in value)


def _written(
    value: Mapping[str, Any],
    numbers: NumberConvention,
    write_day: Callable[[dt.date], str],
) -> str:
    if "day" in value:
        return write_day(dt.date.fromisoformat(value["day"]))
    figure = format_number(
        value["number"], decimals=int(value.get("decimals", 0)), convention=numbers
    )
    return f"{figure}%" if value.get("percent") else figure


class Text(str):
    """An English sentence of a report, made from ``TEMPLATES[code]`` and ``params``."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, /, **params: Any) -> Text:
        params = {name: _stored(value) for name, value in params.items()}
        english = {
            name: _written(value, ENGLISH, dt.date.isoformat) if _is_number_or_day(value) else value
            for name, value in params.items()
        }
        text = super().__new__(cls, TEMPLATES[code].format(**english))
        text.code = code
        text.params = params
        return text

    def __getnewargs_ex__(self):
        return (self.code,), self.params


def as_coded(text: object) -> dict[str, Any] | None:
    """``{"code": ..., "params": {...}}`` for a Text (nested Texts alike), for the stored report;
    None for a plain string, which only its English says."""
    if not isinstance(text, Text):
        return None
    return {
        "code": text.code,
        "params": {
            name: as_coded(value) if isinstance(value, Text) else value
            for name, value in text.params.items()
        },
    }


def render(
    coded: Mapping[str, Any],
    translate: Callable[[str], str] = lambda template: template,
    *,
    numbers: NumberConvention = ENGLISH,
    write_day: Callable[[dt.date], str] = dt.date.isoformat,
) -> str:
    """The sentence ``coded`` (as ``as_coded`` wrote it) with each template passed through
    ``translate`` first, its figures written in ``numbers`` and its days by ``write_day``.
    Raises KeyError or ValueError when the code is unknown or a translated template names a
    field the parameters lack; callers fall back to the stored English."""
    params = {
        name: _written(value, numbers, write_day)
        if _is_number_or_day(value)
        else render(value, translate, numbers=numbers, write_day=write_day)
        if isinstance(value, Mapping)
        else value
        for name, value in coded["params"].items()
    }
    return translate(TEMPLATES[coded["code"]]).format(**params)
