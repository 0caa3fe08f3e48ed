"""Find and parse the attribute columns each kind of record needs, per feature.

Columns are matched case-insensitively, also under the 10-character names shapefiles force
(``completed_``, ``hazard_typ``) and common aliases; an explicit mapping (target -> source column)
overrides. Values are parsed the way field data arrives: methods as IMAS words or survey
abbreviations (NTS, TS), dates as ISO, DBF (YYYYMMDD) or the Vietnamese dd/mm/yyyy. A missing or
unreadable required value is an error on that feature naming the column, never a silent default.
So is a value the column it will be stored in cannot hold (``ColumnLimit``: the caller derives
them from its database columns), so that a file that passes the check can be stored.
"""

import datetime as dt
import decimal
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

from gis.messages import Number, Text
from gis.reading.errors import ReadError

SHAPEFILE_FIELD_NAME_LENGTH = 10


class LayerKind(StrEnum):
    HAZARD = "hazard"
    RELEASE = "release"
    SPOT_TASK = "spot-task"
    VILLAGE = "village"


def _text(value: object) -> str:
    # Composed (NFC) so that a name typed on a Mac (decomposed) matches the same name from Windows.
    text = unicodedata.normalize("NFC", str(value).strip())
    if not text:
        raise ValueError(Text("value_empty"))
    return text


def _optional_text(value: object) -> str:
    return unicodedata.normalize("NFC", str(value).strip())


def _choice(table: Mapping[str, str], accepted: str) -> Callable[[object], str]:
    def parse(value: object) -> str:
        key = re.sub(r"[\s_\-]+", " ", str(value).strip().lower())
        if key not in table:
            raise ValueError(
                Text("value_not_one_of", value=repr(str(value).strip()), accepted=accepted)
            )
        return table[key]

    return parse


METHODS = {
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "nts": "cancelled",
    "non technical survey": "cancelled",
    "reduced": "reduced",
    "ts": "reduced",
    "technical survey": "reduced",
    "cleared": "cleared",
    "clearance": "cleared",
}
HAZARD_KINDS = {
    "sha": "SHA",
    "suspected": "SHA",
    "suspected hazardous area": "SHA",
    "cha": "CHA",
    "confirmed": "CHA",
    "confirmed hazardous area": "CHA",
}
CONTAMINATIONS = {
    "cluster munitions": "cluster_munitions",
    "cluster munition": "cluster_munitions",
    "cluster": "cluster_munitions",
    "cm": "cluster_munitions",
    "submunitions": "cluster_munitions",
    "landmines": "landmines",
    "landmine": "landmines",
    "mines": "landmines",
    "mine": "landmines",
    "mixed uxo": "mixed_uxo",
    "uxo": "mixed_uxo",
    "erw": "mixed_uxo",
    "mixed": "mixed_uxo",
    "other": "other",
}

DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")


def parse_date(value: object) -> dt.date:
    """A date from ISO (with or without time), DBF ``YYYYMMDD`` or day-first ``dd/mm/yyyy``.

    Slashed dates are read day first, as written in Vietnam: 03/04/2023 is 3 April.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    text = re.sub(r"[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$", "", text)
    for date_format in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise ValueError(Text("value_not_a_date", value=repr(str(value).strip())))


def _count(value: object) -> int:
    number = float(str(value).strip()) if not isinstance(value, int | float) else value
    if not math.isfinite(number) or not float(number).is_integer() or number < 0:
        raise ValueError(Text("value_not_a_count", value=repr(value)))
    return int(number)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    required: bool
    parse: Callable[[object], object]
    aliases: tuple[str, ...] = ()


FIELDS: dict[LayerKind, tuple[FieldSpec, ...]] = {
    LayerKind.HAZARD: (
        FieldSpec("reference", True, _text, ("ref", "hazard_ref", "hazard_id", "id")),
        FieldSpec(
            "kind",
            True,
            _choice(HAZARD_KINDS, "SHA, CHA"),
            ("hazard_type", "hazard_kind", "type", "category"),
        ),
        FieldSpec(
            "contamination",
            True,
            _choice(CONTAMINATIONS, "cluster munitions, landmines, mixed UXO, other"),
            ("contaminant", "contam", "threat", "ordnance"),
        ),
        FieldSpec("recorded_on", True, parse_date, ("recorded", "date_recorded", "survey_date")),
        FieldSpec("notes", False, _optional_text, ("note", "remarks", "comment", "comments")),
    ),
    LayerKind.RELEASE: (
        FieldSpec("reference", True, _text, ("ref", "release_ref", "release_id", "id")),
        FieldSpec(
            "method",
            True,
            _choice(METHODS, "cancelled, reduced, cleared (or NTS, TS, clearance)"),
            ("release_method", "activity", "type"),
        ),
        FieldSpec("completed_on", True, parse_date, ("completed", "date_completed", "end_date")),
        FieldSpec("started_on", False, parse_date, ("started", "date_started", "start_date")),
        FieldSpec("depth_cm", False, _count, ("depth", "clearance_depth")),
    ),
    LayerKind.SPOT_TASK: (
        # A GPX waypoint's <name> is where a handheld GPS keeps the task number.
        FieldSpec("reference", True, _text, ("ref", "task_ref", "task_id", "id", "name")),
        FieldSpec("completed_on", True, parse_date, ("completed", "date_completed", "date")),
        FieldSpec("items_destroyed", True, _count, ("items", "destroyed", "item_count")),
    ),
    LayerKind.VILLAGE: (
        FieldSpec("code", True, _text, ("village_code", "id")),
        FieldSpec("name_vi", True, _text, ("ten_thon", "ten", "name")),
        FieldSpec("name_en", True, _text, ("name_english",)),
        FieldSpec("nts_completed_on", False, parse_date, ("nts_date", "nts_completed")),
        FieldSpec("ts_completed_on", False, parse_date, ("ts_date", "ts_completed")),
    ),
}


@dataclass(frozen=True)
class ColumnLimit:
    """What the database column a field is stored in can hold; None where it sets no bound.

    ``max_length`` counts characters; ``min_value`` and ``max_value`` bound an integer;
    ``max_digits`` and ``decimal_places`` a decimal; ``choices`` lists the stored values a text
    may take (empty: any). Text never holds NUL, which PostgreSQL refuses in every text column.
    """

    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    max_digits: int | None = None
    decimal_places: int | None = None
    choices: tuple[str, ...] = ()


NO_LIMIT = ColumnLimit()


def column_limit_error(value: object, limit: ColumnLimit) -> Text | None:
    """Why the column bounded by ``limit`` cannot hold ``value`` (a parsed value), or None."""
    if isinstance(value, str):
        if "\x00" in value:
            return Text("value_has_nul")
        if limit.max_length is not None and len(value) > limit.max_length:
            return Text(
                "value_too_long",
                length=Number(len(value)),
                value=repr(_shortened(value)),
                limit=Number(limit.max_length),
            )
        if limit.choices and value not in limit.choices:
            return Text(
                "value_not_one_of", value=repr(_shortened(value)), accepted=", ".join(limit.choices)
            )
    elif isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool):
        if limit.min_value is not None and value < limit.min_value:
            return Text("value_below_minimum", value=value, limit=Number(limit.min_value))
        if limit.max_value is not None and value > limit.max_value:
            return Text("value_above_maximum", value=value, limit=Number(limit.max_value))
        if limit.max_digits is not None:
            return _decimal_error(value, limit)
    return None


def _decimal_error(value: int | float | decimal.Decimal, limit: ColumnLimit) -> Text | None:
    places = limit.decimal_places or 0
    number = decimal.Decimal(str(value))
    if not number.is_finite():
        return Text("value_not_a_number", value=value)
    whole_digits = len(str(abs(int(number)))) if int(number) else 0
    if whole_digits > limit.max_digits - places:
        return Text(
            "value_too_many_digits", value=value, digits=limit.max_digits - places, places=places
        )
    return None


def _shortened(text: str, length: int = 40) -> str:
    # A report names an over-long value by its start: 100,000 characters help nobody.
    return text if len(text) <= length else f"{text[:length]}…"


@dataclass(frozen=True)
class AttributeRow:
    """The parsed values of one feature (``number`` from 1) and its errors, each naming the
    column. Values absent from an optional column are None."""

    number: int
    values: Mapping[str, object]
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class AttributesRead:
    """``columns`` maps each target field to the file's column used (None: not found) and
    ``found_by`` says how (``mapping``, ``name``, ``shapefile name``, ``alias``)."""

    kind: LayerKind
    columns: Mapping[str, str | None]
    found_by: Mapping[str, str]
    rows: tuple[AttributeRow, ...]


def read_attributes(
    table: pd.DataFrame,
    *,
    kind: LayerKind,
    mapping: Mapping[str, str] | None = None,
    limits: Mapping[str, ColumnLimit] | None = None,
) -> AttributesRead:
    """Parse the columns ``kind`` needs from ``table`` (one row per feature, file order).

    ``mapping`` names, per target field, the file's column to use; a mapping to a column the file
    lacks, or to a field the kind does not have, raises ReadError(``mapping_invalid``).
    ``limits`` (by field) bound what each field's column can store: a parsed value beyond them
    is an error on its feature naming the column, the field and the limit.
    """
    limits = limits or {}
    specs = FIELDS[LayerKind(kind)]
    columns, found_by = _find_columns(list(table.columns), specs, mapping or {})
    rows = []
    for position, record in enumerate(table.to_dict("records")):
        values: dict[str, object] = {}
        errors: list[str] = []
        for spec in specs:
            source = columns[spec.name]
            raw = record.get(source) if source is not None else None
            if _missing(raw):
                values[spec.name] = "" if spec.parse is _optional_text else None
                if spec.required:
                    errors.append(_missing_message(spec, source))
                continue
            try:
                value = spec.parse(raw)
                beyond = column_limit_error(value, limits.get(spec.name, NO_LIMIT))
                if beyond is not None:
                    raise ValueError(beyond)
                values[spec.name] = value
            except (ValueError, TypeError) as error:
                values[spec.name] = None
                reason = error.args[0] if error.args and isinstance(error.args[0], Text) else error
                errors.append(
                    Text("column_error", column=repr(source), field=spec.name, error=reason)
                )
        errors.extend(_cross_field_errors(kind, values))
        rows.append(AttributeRow(number=position + 1, values=values, errors=tuple(errors)))
    return AttributesRead(kind=kind, columns=columns, found_by=found_by, rows=tuple(rows))


def _normalise(name: str) -> str:
    return re.sub(r"[\s\-.]+", "_", str(name).strip().lower())


def _find_columns(
    available: Sequence[str], specs: tuple[FieldSpec, ...], mapping: Mapping[str, str]
) -> tuple[dict[str, str | None], dict[str, str]]:
    by_normal = {}
    for column in available:
        by_normal.setdefault(_normalise(column), column)
    known = {spec.name for spec in specs}
    unknown_targets = sorted(set(mapping) - known)
    if unknown_targets:
        raise ReadError(
            "mapping_invalid",
            f"The mapping names {', '.join(unknown_targets)}, which this kind of record does not "
            f"have; its fields are: {', '.join(spec.name for spec in specs)}.",
        )
    columns: dict[str, str | None] = {}
    found_by: dict[str, str] = {}
    for spec in specs:
        if spec.name in mapping:
            source = by_normal.get(_normalise(mapping[spec.name]))
            if source is None:
                raise ReadError(
                    "mapping_invalid",
                    f"The mapping {spec.name}={mapping[spec.name]} names a column the file does "
                    f"not have; its columns are: {', '.join(map(str, available))}.",
                )
            columns[spec.name], found_by[spec.name] = source, "mapping"
            continue
        columns[spec.name] = None
        for candidate, how in _candidates(spec):
            if candidate in by_normal:
                columns[spec.name], found_by[spec.name] = by_normal[candidate], how
                break
    return columns, found_by


def _candidates(spec: FieldSpec):
    yield spec.name, "name"
    yield spec.name[:SHAPEFILE_FIELD_NAME_LENGTH], "shapefile name"
    for alias in spec.aliases:
        yield alias, "alias"
        yield alias[:SHAPEFILE_FIELD_NAME_LENGTH], "alias"


def _missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, str) and not value.strip()


def _missing_message(spec: FieldSpec, source: str | None) -> str:
    if source is None:
        names = ", ".join(dict.fromkeys(name for name, _how in _candidates(spec)))
        return Text("no_column", field=spec.name, names=names)
    return Text("column_empty", column=repr(source), field=spec.name)


def _cross_field_errors(kind: LayerKind, values: Mapping[str, object]) -> list[str]:
    """The rules the database enforces, reported per feature before any insert is tried."""
    errors = []
    if kind == LayerKind.RELEASE:
        started, completed = values.get("started_on"), values.get("completed_on")
        if started and completed and started > completed:
            errors.append(Text("started_after_completed", started=started, completed=completed))
        if values.get("depth_cm") is not None and values.get("method") not in (None, "cleared"):
            errors.append(Text("depth_not_cleared"))
    return errors
