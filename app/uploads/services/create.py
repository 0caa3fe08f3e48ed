"""Creating an upload: the request's options checked, the file stored, a duplicate recognised."""

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyproj
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from app.accounts import policy
from app.accounts.language import number_convention
from app.registry.models import Organisation
from app.uploads.models import OnConflict, Upload, UploadKind, UploadStatus
from app.uploads.services.duplicates import committed_twin, duplicate_message, mark_duplicate
from app.uploads.services.errors import UploadRefused
from app.uploads.services.notify import notify_worker
from gis.numbers import format_number


def parse_mapping(value: object, *, parameter: str = "mapping") -> dict[str, str]:
    """A mapping (or defaults) as a JSON object, a JSON text of one, or "target=source,..."."""
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("{"):
            try:
                value = json.loads(text)
            except ValueError as error:
                raise UploadRefused(
                    parameter, gettext("not a JSON object (%(error)s)") % {"error": error}
                ) from error
        else:
            pairs = {}
            for pair in re.split(r"[,;\n]", text):
                if not pair.strip():
                    continue
                target, sep, source = pair.partition("=")
                if not sep or not target.strip() or not source.strip():
                    raise UploadRefused(
                        parameter,
                        gettext("%(pair)r: write each pair as target=source")
                        % {"pair": pair.strip()},
                    )
                pairs[target.strip()] = source.strip()
            return pairs
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()
    ):
        raise UploadRefused(
            parameter, gettext("give an object of target field to source column names")
        )
    return {k.strip(): v.strip() for k, v in value.items()}


def create_upload(
    *,
    organisation_slug: str,
    kind: str,
    filename: str,
    chunks: Iterable[bytes],
    size_bytes: int,
    crs: str | None = None,
    layer: str | None = None,
    encoding: str | None = None,
    mapping: Mapping[str, str] | None = None,
    defaults: Mapping[str, str] | None = None,
    on_conflict: str = OnConflict.SKIP,
    all_or_nothing: bool = False,
    refuse_conflicts: bool = False,
    created_by=None,
    checked_here: bool = False,
) -> Upload:
    """Store the file under UPLOAD_ROOT/<folder>/ with a generated name (the folder a random
    key, readable by the service's user only) and queue it for checking, waking the worker.

    The same content already committed by the organisation for the same kind is not stored
    again: the upload is created rejected, as a duplicate of the committed one, without its file.
    ``all_or_nothing`` (the command line's default): any rejected feature rejects the whole file;
    ``refuse_conflicts`` (the command line without --on-conflict): so does a stored reference.
    ``created_by``: the user sending it (None: the command line); NotAllowed when
    policy.can_upload_for refuses them the organisation. ``checked_here``: the caller checks it
    itself at once (``import_layer``): it is created 'checking' without a worker's claim, which
    no worker takes (a NOTIFY would have one check the same upload at the same time).
    """
    if kind not in UploadKind.values:
        raise UploadRefused(
            "kind",
            gettext("unknown kind %(kind)r; use one of %(kinds)s")
            % {"kind": kind, "kinds": ", ".join(UploadKind)},
        )
    organisation = Organisation.objects.filter(slug=organisation_slug).first()
    if organisation is None:
        known = ", ".join(Organisation.objects.values_list("slug", flat=True)) or gettext(
            "none yet"
        )
        raise UploadRefused(
            "organisation",
            gettext(
                "no organisation %(slug)r (known: %(known)s); add it first with "
                "manage.py add_organisation"
            )
            % {"slug": organisation_slug, "known": known},
            code="organisation_unknown",
        )
    if created_by is not None and not policy.can_upload_for(created_by, organisation.pk):
        raise policy.NotAllowed(
            gettext("you may upload for your own organisation only, not for %(organisation)s")
            % {"organisation": organisation.slug}
        )
    if on_conflict not in OnConflict.values:
        raise UploadRefused("on_conflict", gettext("use skip or replace"))
    if crs:
        try:
            pyproj.CRS.from_user_input(crs)
        except pyproj.exceptions.CRSError as error:
            raise UploadRefused(
                "crs",
                gettext("%(crs)r is not a coordinate system (write it as EPSG:NNNN)")
                % {"crs": crs},
            ) from error
    if not filename:
        raise UploadRefused(
            "file", gettext("send the file as multipart field 'file', with its name")
        )
    limit = settings.UPLOAD_MAX_BYTES
    if size_bytes > limit:
        raise UploadRefused(
            "file",
            gettext(
                "the file is %(size)s bytes; the limit is %(limit)s bytes (split it, or zip it)"
            )
            % {
                "size": format_number(size_bytes, convention=number_convention()),
                "limit": format_number(limit, convention=number_convention()),
            },
            code="too_large",
        )
    options = {
        "crs": crs or None,
        "layer": layer or None,
        "encoding": encoding or None,
        "mapping": dict(mapping or {}),
        "defaults": dict(defaults or {}),
        "all_or_nothing": all_or_nothing,
        "refuse_conflicts": refuse_conflicts,
    }
    with transaction.atomic():
        upload = Upload.objects.create(
            organisation=organisation,
            kind=kind,
            filename=filename[:255],
            sha256="",
            size_bytes=size_bytes,
            options=options,
            on_conflict=on_conflict,
            created_by=created_by,
            **({"status": UploadStatus.CHECKING} if checked_here else {}),
        )
        folder = _new_folder(upload)
        try:
            stored_name = "original" + _safe_suffix(filename)
            digest, written = _write_original(folder / stored_name, chunks, limit=limit)
        except BaseException:
            # The row is rolled back with the exception; the folder, made just now, goes too.
            shutil.rmtree(folder, ignore_errors=True)
            raise
        upload.sha256 = digest
        upload.size_bytes = written
        upload.stored_name = stored_name
        earlier = committed_twin(upload)
        if earlier is not None:
            # This upload's own folder, made above: never another upload's.
            shutil.rmtree(folder, ignore_errors=True)
            upload.stored_name = ""
            mark_duplicate(upload, earlier, duplicate_message(earlier), report={"file": filename})
        elif not checked_here:
            notify_worker(upload_id=upload.pk)
        upload.save()
    return upload


def _new_folder(upload: Upload) -> Path:
    """The upload's own folder, made now, readable by the service's user only. An existing
    folder is an error (FileExistsError), never written into: it is another upload's."""
    root = Path(settings.UPLOAD_ROOT)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder = upload.folder_path
    folder.mkdir(mode=0o700)
    # mkdir's mode is filtered by the umask; the originals are restricted data whatever it is.
    folder.chmod(0o700)
    return folder


def _write_original(path: Path, chunks: Iterable[bytes], *, limit: int) -> tuple[str, int]:
    """Write the file (mode 0600, never over an existing one); its hex SHA-256 and size."""
    digest = hashlib.sha256()
    written = 0
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        for chunk in chunks:
            written += len(chunk)
            if written > limit:
                raise UploadRefused(
                    "file",
                    gettext("the file is over the limit of %(limit)s bytes")
                    % {"limit": format_number(limit, convention=number_convention())},
                )
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest(), written


def _safe_suffix(filename: str) -> str:
    """The extension the reader recognises the format by, and nothing else of the sender's
    name: names with '!', '..' or non-ASCII characters never reach the file system."""
    suffix = Path(filename).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""
