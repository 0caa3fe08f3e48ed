"""Upload folders: named by a random key stored on the upload, never by its id (a restored
backup gives ids out again), never an existing folder, readable by the service's user only."""

import stat

import pytest

from app.uploads.models import Upload
from app.uploads.services import check_upload, create_upload
from tests.uploads.files import release_frame

pytestmark = pytest.mark.django_db


@pytest.fixture
def release_bytes(tmp_path) -> bytes:
    path = tmp_path / "releases.geojson"
    release_frame().to_file(path, driver="GeoJSON")
    return path.read_bytes()


def create(content: bytes, **options) -> Upload:
    return create_upload(
        organisation_slug="npa",
        kind="release",
        filename="releases.geojson",
        chunks=[content],
        size_bytes=len(content),
        **options,
    )


def test_an_upload_given_an_old_uploads_id_leaves_that_uploads_folder_alone(
    upload_root, npa, uploader, tmp_path, release_bytes
):
    # A backup restored: the database hands out an id again whose folder (named by the id, as
    # before issue 8) holds an older upload's original, which the new upload duplicates.
    first = uploader.checked(tmp_path / "releases.geojson", kind="release", organisation="npa")
    uploader.commit(first["id"])
    next_id = first["id"] + 1
    older = upload_root / str(next_id)
    older.mkdir()
    (older / "original.zip").write_bytes(b"an older upload's file")

    duplicate = create(release_bytes)

    assert duplicate.pk == next_id
    assert duplicate.status == "rejected" and duplicate.duplicate_of_id == first["id"]
    assert (older / "original.zip").read_bytes() == b"an older upload's file"
    assert Upload.objects.get(pk=first["id"]).original_path.read_bytes() == release_bytes


def test_each_upload_has_a_folder_of_its_own_named_by_a_random_key(upload_root, npa, release_bytes):
    first = create(release_bytes)
    second = create(release_bytes)

    assert first.folder != second.folder
    assert str(first.pk) not in (first.folder, second.folder)
    assert len(first.folder) == 32
    assert first.original_path == upload_root / first.folder / "original.geojson"
    assert first.original_path.read_bytes() == release_bytes


def test_an_existing_folder_is_never_written_into(upload_root, npa, release_bytes, monkeypatch):
    taken = upload_root / "taken"
    taken.mkdir(parents=True)
    (taken / "original.geojson").write_bytes(b"someone else's")
    # The key generator, as the model field calls it (Field caches it as _get_default).
    monkeypatch.setattr(Upload._meta.get_field("folder"), "_get_default", lambda: "taken")

    with pytest.raises(FileExistsError):
        create(release_bytes)

    assert (taken / "original.geojson").read_bytes() == b"someone else's"
    assert not Upload.objects.exists()


def test_originals_are_readable_by_the_service_user_only(upload_root, npa, release_bytes):
    upload = create(release_bytes)

    assert stat.S_IMODE(upload.folder_path.stat().st_mode) == 0o700
    assert stat.S_IMODE(upload.original_path.stat().st_mode) == 0o600


def test_an_upload_made_before_random_folders_is_checked_from_its_id_folder(
    upload_root, npa, release_bytes
):
    # What migration 0006 leaves for an upload made before it: its folder named by its id.
    upload = create(release_bytes)
    upload.folder_path.rename(upload_root / str(upload.pk))
    Upload.objects.filter(pk=upload.pk).update(folder=str(upload.pk))

    checked = check_upload(upload_id=upload.pk)

    assert checked.status == "ready", checked.error
    assert checked.report["accepted"] == 3
