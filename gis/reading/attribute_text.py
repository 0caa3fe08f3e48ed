"""Decoding shapefile and CSV attribute text, read byte for byte, into Unicode (NFC)."""

import geopandas as gpd
import pandas as pd

from gis.encodings import (
    CP1258,
    TCVN3,
    VNI,
    decode_text,
    detect_encoding,
    normalise_encoding_name,
)
from gis.messages import Text
from gis.reading.errors import ReadError
from gis.reading.staging import Dataset

TEXT_READ_AS = "ISO-8859-1"  # one byte per character: the DBF bytes come back unchanged


def decode_attribute_text(
    features: gpd.GeoDataFrame, dataset: Dataset, encoding: str | None
) -> tuple[gpd.GeoDataFrame, str, str]:
    """Decode shapefile/CSV text read byte for byte, in the encoding chosen in this order: the
    caller's ``encoding``, what the file declares, then detection (gis.encodings), which must be
    confident: a guess is refused with a request for the encoding."""
    text_columns = [
        column
        for column in features.columns
        if column != "geometry"
        and (
            pd.api.types.is_object_dtype(features[column].dtype)
            or pd.api.types.is_string_dtype(features[column].dtype)
        )
    ]
    samples = [
        value.encode(TEXT_READ_AS)
        for column in text_columns
        for value in features[column].dropna().head(500)
        if isinstance(value, str)
    ]
    if encoding:
        chosen, how = _codec_or_error(encoding), Text("encoding_given")
    elif dataset.declared_encoding:
        chosen, how = dataset.declared_encoding, dataset.declared_encoding_how
        if dataset.declared_by_language_byte:
            chosen, how = _check_language_byte(chosen, how, samples)
    else:
        detected = detect_encoding(samples)
        if not detected.is_confident:
            declared = dataset.declared_encoding_how or "no .cpg"
            raise ReadError(
                "encoding_unknown",
                f"The file does not say how its text is encoded ({declared}) and it cannot "
                f"be told for sure: {detected.how}. Give the encoding "
                "(encoding), e.g. cp1258 for Vietnamese Windows files, tcvn3 or vni for old "
                "Vietnamese fonts.",
            )
        chosen, how = detected.name, Text("encoding_detected", how=detected.how)
    renamed = {
        column: _decode_value(column, chosen) for column in features.columns if column != "geometry"
    }
    try:
        for column in text_columns:
            features[column] = features[column].map(
                lambda value: _decode_value(value, chosen) if isinstance(value, str) else value
            )
    except UnicodeDecodeError as error:
        raise ReadError(
            "encoding_error",
            f"The attribute text is not valid {chosen} ({how}). Give the right encoding "
            "(encoding), e.g. cp1258 for Vietnamese Windows files.",
        ) from error
    return features.rename(columns=renamed), chosen, how


def _check_language_byte(declared: str, how: str, samples: list[bytes]) -> tuple[str, str]:
    """The DBF language byte 0x57 means "the Windows code page of the machine that wrote it":
    cp1252 by the table, cp1258 on a Vietnamese Windows. Text that reads confidently as
    Vietnamese is taken as such, and the report says why."""
    detected = detect_encoding(samples)
    vietnamese = (CP1258, TCVN3, VNI)
    if detected.is_confident and detected.name in vietnamese and detected.name != declared:
        return detected.name, Text("encoding_reads_vietnamese", how=how, detected=detected.how)
    return declared, how


def _decode_value(value: str, encoding: str) -> str:
    # gis.encodings returns NFC: cp1258 spells tone marks as combining characters, and the
    # database keeps composed text so a village name is found whichever way it was typed.
    return decode_text(value.encode(TEXT_READ_AS), encoding)


def _codec_or_error(encoding: str) -> str:
    try:
        return normalise_encoding_name(encoding)
    except LookupError as error:
        raise ReadError(
            "encoding_unknown",
            f"Unknown encoding {encoding!r}; use a code page name such as utf-8, cp1258, "
            "cp1252, or tcvn3 / vni for old Vietnamese fonts.",
        ) from error
