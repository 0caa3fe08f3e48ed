"""Checking an upload: read through ``gis/``, staged with one COPY, checked in SQL, reported;
it ends ready or rejected (a file its organisation committed meanwhile is not read again). The
worker runs it, never the web process."""

import datetime as dt
import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from app.registry.services.imports import (
    LayerChecked,
    check_layer,
    existing_references,
    references_held_elsewhere,
    reject_held_references,
)
from app.uploads import progress
from app.uploads.models import OnConflict, StagedFeature, Upload, UploadStatus
from app.uploads.operating_area import (
    OperatingAreaMisconfigured,
    operating_area,
    province_outlines,
)
from app.uploads.progress import CheckStep
from app.uploads.services.check_report import reject_outside, spatial_report
from app.uploads.services.duplicates import committed_twin, duplicate_message, end_as_duplicate
from app.uploads.services.errors import UploadNotFound, UploadStateConflict
from app.uploads.services.locks import locked_upload
from app.uploads.services.staging import copy_to_staging
from gis.attributes import LayerKind
from gis.messages import Number, Text, as_coded
from gis.reading import ReadError

log = logging.getLogger(__name__)

# The parameter a user changes to fix each kind of unreadable file.
PARAMETER_FOR_CODE = {
    "crs_missing": "crs",
    "crs_invalid": "crs",
    "crs_unknown": "crs",
    "several_layers": "layer",
    "layer_unknown": "layer",
    "encoding_unknown": "encoding",
    "encoding_uncertain": "encoding",
    "mapping_invalid": "mapping",
}


def check_upload(*, upload_id: int, today: dt.date | None = None) -> Upload:
    """Read and check a queued upload; it ends ready (commit possible) or rejected (why).

    Anything unexpected ends it failed with a message, never an exception to the caller.
    """
    upload = Upload.objects.select_related("organisation").filter(pk=upload_id).first()
    if upload is None:
        raise UploadNotFound(upload_id)
    if upload.status not in (UploadStatus.QUEUED, UploadStatus.CHECKING):
        raise UploadStateConflict(f"upload {upload.pk} is {upload.status}; it was checked")
    if (twin := committed_twin(upload)) is not None:
        # Its twin was committed while it waited in the queue: nothing to read.
        with transaction.atomic():
            return end_as_duplicate(
                locked_upload(upload_id),
                twin,
                duplicate_message(twin),
                report={"file": upload.filename},
            )
    Upload.objects.filter(pk=upload_id).update(
        status=UploadStatus.CHECKING, progress=CheckStep.CLAIMED
    )
    try:
        return _check(upload, today=today or dt.date.today())
    except ReadError as error:
        report = {
            "file": upload.filename,
            "code": error.code,
            "error": error.message,
            # The message's own code and parameters, so each reader gets it in their language.
            "error_codes": [as_coded(error.message)],
            "parameter": PARAMETER_FOR_CODE.get(error.code, "file"),
            "choices": list(error.choices),
        }
        return _finish(upload, UploadStatus.REJECTED, report, error.message)
    except OperatingAreaMisconfigured as error:
        message = Text("operating_area_misconfigured", detail=str(error))
        report = {
            "file": upload.filename,
            "code": "operating_area",
            "error": message,
            "error_codes": [as_coded(message)],
        }
        return _finish(upload, UploadStatus.FAILED, report, message)
    except Exception as error:  # noqa: BLE001 - the user gets a message, the log the traceback
        log.exception("upload %s failed", upload_id)
        message = Text("check_failed", error=type(error).__name__)
        report = {
            "file": upload.filename,
            "code": "failed",
            "error": message,
            "error_codes": [as_coded(message)],
        }
        return _finish(upload, UploadStatus.FAILED, report, message)


def _finish(upload: Upload, status: str, report: dict, error: str) -> Upload:
    with transaction.atomic():
        StagedFeature.objects.filter(upload=upload).delete()
        Upload.objects.filter(pk=upload.pk).update(
            status=status, progress=100, report=report, error=error, checked_at=timezone.now()
        )
    upload.refresh_from_db()
    return upload


def _check(upload: Upload, *, today: dt.date) -> Upload:
    kind = LayerKind(upload.kind)
    options = upload.options
    area = operating_area()
    path = upload.original_path
    progress.record(upload.pk, CheckStep.READING)
    checked = check_layer(
        path=path,
        kind=kind,
        crs=options.get("crs"),
        layer=options.get("layer"),
        encoding=options.get("encoding"),
        mapping=options.get("mapping") or None,
        defaults=options.get("defaults") or None,
        crs_ranking_area=area.geometry if area.geometry is not None else province_outlines(),
        today=today,
        max_features=settings.UPLOAD_MAX_FEATURES,
        max_vertices_per_feature=settings.UPLOAD_MAX_VERTICES_PER_FEATURE,
    )
    progress.record(upload.pk, CheckStep.READ)
    conflicts = existing_references(kind, upload.organisation, checked.references)
    checked = reject_held_references(
        checked, references_held_elsewhere(kind, upload.organisation, checked.references)
    )
    progress.record(upload.pk, CheckStep.CONFLICTS_FOUND)
    with transaction.atomic():
        StagedFeature.objects.filter(upload=upload).delete()
        copy_to_staging(upload, kind, checked)
    progress.record(upload.pk, CheckStep.STAGED)
    # Fresh statistics, or the planner takes 100,000 new rows for a handful. Outside the
    # transactions: ANALYZE holds a lock that would make concurrent checks wait for each other.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE uploads_stagedfeature")
    progress.record(upload.pk, CheckStep.ANALYSED)
    # The spatial steps run outside any transaction, so that the progress between them is seen.
    # Until the upload is ready nothing reads its staging rows, and a check stopped half-way
    # starts again from the file (_check deletes them first, _finish on an error).
    outside = reject_outside(upload, area.geometry)
    progress.record(upload.pk, CheckStep.OUTSIDE_AREA_REJECTED)
    spatial = spatial_report(upload, kind)
    with transaction.atomic():
        return _conclude(upload, kind, checked, area, conflicts, outside, spatial)


def _conclude(
    upload: Upload,
    kind: LayerKind,
    checked: LayerChecked,
    area,
    conflicts: list[str],
    outside: list[dict],
    spatial: dict,
) -> Upload:
    """The report from the checks, and ready or rejected."""
    options = upload.options
    rejected = sorted(
        [
            {
                "feature": r.feature,
                "reference": r.reference,
                "reasons": list(r.reasons),
                "reason_codes": [as_coded(reason) for reason in r.reasons],
            }
            for r in checked.rejected
        ]
        + outside,
        key=lambda r: r["feature"],
    )
    accepted = len(checked.accepted) - len(outside)
    read = checked.read
    spatial_warnings = spatial.pop("spatial_warnings")
    report = {
        "file": upload.filename,
        "kind": kind.value,
        "organisation": upload.organisation.slug,
        "layer": read.layer,
        "driver": read.driver,
        "crs": read.source_crs,
        "crs_how": read.crs_how,
        "crs_how_code": as_coded(read.crs_how),
        "encoding": read.encoding,
        "encoding_how": read.encoding_how,
        "encoding_how_code": as_coded(read.encoding_how),
        "mapping": dict(checked.attributes.columns),
        "mapping_found_by": dict(checked.attributes.found_by),
        "unused_columns": list(checked.unused_columns),
        "defaults": options.get("defaults") or {},
        "operating_area": area.name,
        "operating_area_code": area.code,
        "features_read": read.feature_count,
        "accepted": accepted,
        "repaired": [
            {
                "feature": r.feature,
                "reference": r.reference,
                "repairs": list(r.repairs),
                "repair_codes": [as_coded(repair) for repair in r.repairs],
            }
            for r in checked.repaired
        ],
        "rejected": rejected,
        "conflicts": conflicts,
        "conflict_choices": [OnConflict.REPLACE.value, OnConflict.SKIP.value] if conflicts else [],
        **spatial,
        "warnings": [*checked.warnings, *spatial_warnings],
        "warning_codes": [as_coded(w) for w in [*checked.warnings, *spatial_warnings]],
        "stored": 0,
    }
    problems = _rejection_reasons(
        report,
        all_or_nothing=options.get("all_or_nothing", False),
        refuse_conflicts=options.get("refuse_conflicts", False),
    )
    if problems:
        report["error_codes"] = [as_coded(problem) for problem in problems]
        return _finish(upload, UploadStatus.REJECTED, report, "; ".join(problems))
    with transaction.atomic():
        Upload.objects.filter(pk=upload.pk).update(
            status=UploadStatus.READY,
            progress=100,
            report=report,
            error="",
            checked_at=timezone.now(),
        )
    upload.refresh_from_db()
    return upload


def _rejection_reasons(report: dict, *, all_or_nothing: bool, refuse_conflicts: bool) -> list[Text]:
    problems = []
    if report["features_read"] == 0:
        problems.append(Text("no_features_in_layer"))
    elif report["accepted"] == 0:
        problems.append(Text("all_rejected", count=Number(report["features_read"])))
    elif all_or_nothing and report["rejected"]:
        problems.append(Text("some_rejected", count=Number(len(report["rejected"]))))
    if refuse_conflicts and report["conflicts"]:
        problems.append(Text("references_stored", count=Number(len(report["conflicts"]))))
    return problems
