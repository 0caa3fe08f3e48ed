"""Attribute text comes out as the Unicode that was typed, and the report says which encoding."""

import unicodedata

import pytest

from gis.encodings import encode_text
from gis.reading import ReadError, read_layer
from tests.gis.reading.conftest import fields_frame, write_shapefile_zip

# Vietnamese Windows (cp1258) writes tone marks as combining characters; this is how the names
# look once encoded there, and NFC is how they must come back.
VIETNAMESE = ["Cồn Tiên", "Dốc Miếu", "Hướng Hóa"]


def cp1258_frame():
    frame = fields_frame()
    frame["name"] = [unicodedata.normalize("NFD", name) for name in VIETNAMESE]
    # NFD splits ư and ơ too, which cp1258 holds precomposed: put those back.
    frame["name"] = [
        name.replace("u\u031b", "ư")
        .replace("o\u031b", "ơ")
        .replace("o\u0302", "ô")
        .replace("e\u0302", "ê")
        for name in frame["name"]
    ]
    return frame


def test_a_shapefile_with_a_cp1258_cpg_is_decoded_and_composed(tmp_path):
    archive = write_shapefile_zip(cp1258_frame(), tmp_path, encoding="cp1258")

    read = read_layer(archive)

    assert read.encoding == "cp1258"
    assert read.encoding_how.startswith("declared in the .cpg file")
    assert list(read.features["name"]) == VIETNAMESE


def legacy_shapefile_zip(tmp_path, names, encoding: str):
    """A shapefile whose DBF holds ``names`` in ``encoding`` and no .cpg, as old tools wrote."""
    frame = fields_frame()
    # Written as Latin-1, each byte of the legacy text reaches the DBF unchanged.
    frame["name"] = [encode_text(name, encoding).decode("latin-1") for name in names]
    return write_shapefile_zip(frame, tmp_path, encoding="ISO-8859-1", drop=(".cpg",))


@pytest.mark.parametrize("encoding", ["cp1258", "tcvn3", "vni"])
def test_vietnamese_text_without_cpg_is_detected_and_read_right(tmp_path, encoding):
    archive = legacy_shapefile_zip(tmp_path, VIETNAMESE, encoding)

    read = read_layer(archive)

    assert read.encoding == encoding
    assert read.encoding_how.startswith("no encoding declared; not UTF-8; read as")
    assert list(read.features["name"]) == VIETNAMESE


def test_text_that_cannot_be_told_needs_the_encoding_and_then_reads_right(tmp_path):
    japanese = ["千葉県", "山武郡", "大網白里町"]
    archive = legacy_shapefile_zip(tmp_path, japanese, "cp932")

    with pytest.raises(ReadError) as refused:
        read_layer(archive)
    read = read_layer(archive, encoding="cp932")

    assert refused.value.code == "encoding_unknown"
    assert "Give the encoding" in refused.value.message
    assert list(read.features["name"]) == japanese
    assert read.encoding_how == "given with the upload"


def test_an_explicit_encoding_reads_tcvn3(tmp_path):
    archive = legacy_shapefile_zip(tmp_path, VIETNAMESE, "tcvn3")

    read = read_layer(archive, encoding="TCVN3")

    assert list(read.features["name"]) == VIETNAMESE


def test_a_shapefile_in_utf8_without_cpg_is_recognised_as_utf8(tmp_path):
    archive = write_shapefile_zip(fields_frame(), tmp_path, drop=(".cpg",))

    read = read_layer(archive)

    assert list(read.features["name"]) == VIETNAMESE
    assert read.encoding == "utf-8"
    assert "valid UTF-8" in read.encoding_how


def test_an_unknown_encoding_name_is_a_clear_error(tmp_path):
    archive = write_shapefile_zip(fields_frame(), tmp_path)

    with pytest.raises(ReadError) as refused:
        read_layer(archive, encoding="klingon")

    assert refused.value.code == "encoding_unknown"


def test_a_csv_saved_by_excel_in_cp1258_reads_with_the_encoding(tmp_path):
    path = tmp_path / "tasks.csv"
    rows = "reference,name,lon,lat\n" + "".join(
        f"ST-{n},{name},107.0{n},16.8{n}\n" for n, name in enumerate(cp1258_frame()["name"])
    )
    path.write_bytes(rows.encode("cp1258"))

    read = read_layer(path, encoding="cp1258")

    assert list(read.features["name"]) == VIETNAMESE


def test_an_encoding_given_for_a_utf8_format_is_reported_as_unused(tmp_path):
    path = tmp_path / "fields.geojson"
    fields_frame().to_file(path, driver="GeoJSON")

    read = read_layer(path, encoding="cp1258")

    assert read.encoding == "utf-8"
    assert "The encoding 'cp1258' was not used: geojson text is UTF-8 by definition." in (
        read.warnings
    )
    assert list(read.features["name"]) == VIETNAMESE
