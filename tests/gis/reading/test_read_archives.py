"""Hostile zips are refused before anything is written outside the reader's own folder."""

import stat
import zipfile

import pytest

from gis.reading import ReadError, archives, read_layer


def zip_with(path, members: dict[str, bytes], *, symlink: str | None = None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data in members.items():
            bundle.writestr(name, data)
        if symlink:
            link = zipfile.ZipInfo(symlink)
            link.external_attr = (stat.S_IFLNK | 0o777) << 16
            bundle.writestr(link, "/etc/passwd")
    return path


@pytest.mark.parametrize(
    "member", ["../escape.shp", "parts/../../escape.shp", "/tmp/escape.shp", "C:/escape.shp"]
)
def test_paths_leaving_the_folder_are_refused_and_nothing_is_written(tmp_path, member):
    target = tmp_path / "inside" / "upload.zip"
    target.parent.mkdir()
    zip_with(target, {member: b"x", "fields.dbf": b"x"})

    with pytest.raises(ReadError) as refused:
        read_layer(target)

    assert refused.value.code == "unsafe_archive"
    assert member in refused.value.message
    assert not (tmp_path / "escape.shp").exists()


def test_a_symbolic_link_in_the_zip_is_refused(tmp_path):
    archive = zip_with(tmp_path / "link.zip", {"fields.shp": b"x"}, symlink="fields.dbf")

    with pytest.raises(ReadError) as refused:
        read_layer(archive)

    assert refused.value.code == "unsafe_archive"
    assert "link" in refused.value.message


def test_a_zip_bomb_is_refused_by_its_compression_ratio(tmp_path, monkeypatch):
    # The real threshold is 50 MB; lowered so the test writes only 4 MB of zeros.
    monkeypatch.setattr(archives, "RATIO_CHECKED_ABOVE_BYTES", 1024**2)
    archive = zip_with(tmp_path / "bomb.zip", {"fields.dbf": b"\0" * (4 * 1024**2)})

    with pytest.raises(ReadError) as refused:
        read_layer(archive)

    assert refused.value.code == "archive_too_large"
    assert "zip bomb" in refused.value.message


def test_a_zip_larger_than_the_total_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archives, "MAX_UNCOMPRESSED_BYTES", 1000)
    archive = zip_with(tmp_path / "big.zip", {"fields.dbf": bytes(range(256)) * 8})

    with pytest.raises(ReadError) as refused:
        read_layer(archive)

    assert refused.value.code == "archive_too_large"


def test_a_file_named_zip_that_is_not_one_is_refused(tmp_path):
    path = tmp_path / "fields.zip"
    path.write_bytes(b"PK\x03\x04 truncated")

    with pytest.raises(ReadError) as refused:
        read_layer(path)

    assert refused.value.code == "not_a_zip"


def test_a_zip_without_gis_files_says_what_it_holds(tmp_path):
    archive = zip_with(tmp_path / "notes.zip", {"readme.txt": b"hello"})

    with pytest.raises(ReadError) as refused:
        read_layer(archive)

    assert refused.value.code == "no_gis_file"
    assert "readme.txt" in refused.value.message


def test_a_shapefile_without_its_index_names_the_missing_part(tmp_path):
    archive = zip_with(tmp_path / "partial.zip", {"fields.shp": b"x", "fields.dbf": b"x"})

    with pytest.raises(ReadError) as refused:
        read_layer(archive)

    assert refused.value.code == "shapefile_incomplete"
    assert ".shx" in refused.value.message
