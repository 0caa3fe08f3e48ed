"""How far a check has gone (0-100): GET /api/v1/uploads/<id>/ shows it and the upload page draws
it as its bar while the worker checks the file."""

from enum import IntEnum

from app.uploads.models import Upload


class CheckStep(IntEnum):
    """The progress recorded after each step of a check, in the order the steps run.

    Each step's share is its share of the time a check of the benchmark's 100,000 polygons took
    here (15.8 s on an empty registry): reading, reprojecting and checking each feature in gis/,
    one call from here (app.registry.services.imports.check_layer), about 55%; looking up stored
    references 8%, the COPY into staging 15%, each SQL step after it 1-4%.
    """

    CLAIMED = 5
    READING = 10
    READ = 60
    CONFLICTS_FOUND = 66
    STAGED = 80
    ANALYSED = 82
    OUTSIDE_AREA_REJECTED = 84
    HECTARES = 87
    ADMIN_UNITS = 90
    YEARS = 92
    DUPLICATES = 94
    OVERLAPS = 96
    OUTSIDE_CHA = 98


def record(upload_id: int, step: CheckStep) -> None:
    """Write the step's progress in its own short transaction (autocommit), so a poller sees it
    during a long check. (It no longer touches ``claimed_at``: a worker's claim is its advisory
    lock, app.uploads.worker, and a check import_layer runs itself must stay unclaimed.)

    Called outside any transaction.atomic(): inside one, a poller would see nothing until the
    end. Tests patch this function to record the steps.
    """
    Upload.objects.filter(pk=upload_id).update(progress=int(step))
