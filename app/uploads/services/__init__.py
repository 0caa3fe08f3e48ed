"""Upload services: create, check, commit and revert a batch. Each write is one transaction.

The check reads the file through ``gis/`` (app.registry.services.imports.check_layer), copies the
accepted features into ``uploads_stagedfeature`` with one PostgreSQL COPY, and does the spatial
work in SQL against the staging rows: the operating area, districts and communes, overlaps,
duplicates, releases outside any CHA, hectares. The commit is one INSERT ... SELECT from staging
in one transaction: every accepted feature or none.

One module per concern: ``create`` (store the file, queue it), ``check`` (read, stage, report),
``staging`` (the COPY), ``check_report`` (the SQL checks), ``commit``, ``revert``, ``discard``,
``notify`` (wake the worker), and the ``errors`` they raise. Callers import from here.
"""

from app.uploads.services.check import check_upload
from app.uploads.services.commit import commit_upload, request_commit
from app.uploads.services.create import create_upload, parse_mapping
from app.uploads.services.discard import discard_upload
from app.uploads.services.errors import UploadNotFound, UploadRefused, UploadStateConflict
from app.uploads.services.revert import revert_upload

__all__ = [
    "UploadNotFound",
    "UploadRefused",
    "UploadStateConflict",
    "check_upload",
    "commit_upload",
    "create_upload",
    "discard_upload",
    "parse_mapping",
    "request_commit",
    "revert_upload",
]
