"""Committing a checked upload: queued by the API, done by the worker in one transaction."""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from app.accounts import policy
from app.registry.history import recording
from app.registry.models import ReviewStatus
from app.registry.services.imports import IDENTIFIER, STORAGE
from app.uploads.models import OnConflict, StagedFeature, Upload, UploadStatus
from app.uploads.page_texts import STATUS_WORDS
from app.uploads.services.duplicates import committed_twin, duplicate_message, end_as_duplicate
from app.uploads.services.errors import UploadRefused, UploadStateConflict
from app.uploads.services.locks import locked_upload
from app.uploads.services.notify import notify_worker
from app.uploads.services.review_state import sum_up_review, sum_up_reviews
from gis.attributes import FIELDS, LayerKind


def request_commit(*, upload_id: int, on_conflict: str | None = None, user=None) -> Upload:
    """Queue the commit of a checked upload for the worker (woken when this transaction
    commits), which stores the records as ``user``'s (kept in ``commit_requested_by``). Raises
    NotAllowed when ``user`` may not commit for the upload's organisation."""
    if on_conflict is not None and on_conflict not in OnConflict.values:
        raise UploadRefused("on_conflict", _("use skip or replace"))
    with transaction.atomic():
        upload = locked_upload(upload_id)
        if user is not None and not policy.can_submit_upload(user, upload):
            raise policy.NotAllowed(_("you may commit uploads for your own organisation only"))
        if upload.status != UploadStatus.READY:
            raise UploadStateConflict(
                _("upload %(id)s is %(status)s; only a ready upload can be committed")
                % {"id": upload.pk, "status": STATUS_WORDS.get(upload.status, upload.status)},
                status=upload.status,
            )
        upload.status = UploadStatus.COMMITTING
        upload.commit_requested_by = user
        # The worker counts its tries of the commit afresh (app.uploads.worker.MAX_ATTEMPTS).
        upload.attempts = 0
        if on_conflict is not None:
            upload.on_conflict = on_conflict
        upload.save(update_fields=["status", "on_conflict", "commit_requested_by", "attempts"])
        notify_worker(upload_id=upload.pk)
    return upload


def commit_upload(*, upload_id: int, on_conflict: str | None = None) -> Upload:
    """Store every staged feature of a checked upload, linked to it, in ONE transaction.

    A reference already stored is skipped or its record replaced (``on_conflict``, default the
    upload's); with the command line's all-or-nothing option it refuses the whole file. A crash
    anywhere before the end leaves the database as it was.

    A file its organisation committed meanwhile (by another upload, after this one was checked)
    is not stored again: the upload ends rejected as its duplicate (``duplicate_of``).

    The records are stored ``submitted``: they count in the figures once an analyst approves
    them (app.review). Their history names the upload and whoever asked for the commit
    (``commit_requested_by``; nobody for the command line).
    """
    if on_conflict is not None and on_conflict not in OnConflict.values:
        raise UploadRefused("on_conflict", "use skip or replace")
    try:
        with transaction.atomic():
            upload = locked_upload(upload_id)
            if upload.status not in (UploadStatus.READY, UploadStatus.COMMITTING):
                raise UploadStateConflict(
                    f"upload {upload.pk} is {upload.status}; only a ready upload can be committed"
                )
            if (twin := committed_twin(upload)) is not None:
                return _end_as_duplicate(upload, twin)
            choice = on_conflict or upload.on_conflict
            with recording(user=upload.commit_requested_by, upload_id=upload.pk):
                stored, replaced, skipped, replaced_from = _insert_from_staging(upload, choice)
            StagedFeature.objects.filter(upload=upload).delete()
            # Its records wait for review; a commit that stored nothing (every feature
            # skipped) leaves nothing to review. The batches it took records from lost them.
            sum_up_review(upload, reviewed_by=None, reviewed_at=None, review_reason="")
            sum_up_reviews(replaced_from)
            upload.status = UploadStatus.COMMITTED
            upload.on_conflict = choice
            upload.committed_at = timezone.now()
            upload.stored_count = stored
            upload.report = {
                **upload.report,
                "stored": stored,
                "replaced": replaced,
                "skipped": skipped,
                "on_conflict": choice,
            }
            upload.save()
    except IntegrityError as error:
        # A twin's commit that ran at the same time and ended first, after this one looked for
        # it: its records (unique references) or the upload's constraint clash with this one's.
        if (duplicate := _ended_as_late_duplicate(upload_id)) is not None:
            return duplicate
        if "upload_committed_once_per_content" in str(error):
            # Its twin reverted since: nothing stops a new commit.
            raise UploadStateConflict(
                "the same file was committed by another upload meanwhile; nothing was stored",
                code="duplicate",
            ) from error
        raise UploadStateConflict(
            f"a record clashes with one already stored ({error}); nothing was stored. "
            "Check the file again to see which.",
            code="conflict",
        ) from error
    return upload


def _end_as_duplicate(upload: Upload, twin: Upload) -> Upload:
    """A final state, not ready: committed again, it would repeat its twin again."""
    message = duplicate_message(twin, code="duplicate_committed_meanwhile")
    return end_as_duplicate(upload, twin, message, report={**upload.report, "stored": 0})


def _ended_as_late_duplicate(upload_id: int) -> Upload | None:
    """The upload ended as the duplicate of a twin committed since it looked, seen now in a
    transaction of its own; None when there is none."""
    with transaction.atomic():
        upload = locked_upload(upload_id)
        twin = committed_twin(upload)
        if twin is None or upload.status not in (UploadStatus.READY, UploadStatus.COMMITTING):
            return None
        return _end_as_duplicate(upload, twin)


def _insert_from_staging(upload: Upload, on_conflict: str) -> tuple[int, int, int, list[int]]:
    """(stored, replaced, skipped, the uploads whose records were replaced, locked)."""
    kind = LayerKind(upload.kind)
    model, geometry_field = STORAGE[kind]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    identifier = quote(model._meta.get_field(IDENTIFIER[kind]).column)
    columns = [model._meta.get_field(spec.name).column for spec in FIELDS[kind]]
    selected = [f"r.{quote(column)}" for column in columns]
    # Every record is the upload's organisation's (villages too: the survey it reported), and
    # waits for review.
    columns += [model._meta.get_field("organisation").column, "status"]
    selected += ["%(organisation)s", "%(submitted)s"]
    same_owner = ""
    if kind in (LayerKind.RELEASE, LayerKind.SPOT_TASK):
        same_owner = "AND t.organisation_id = %(organisation)s"
    # An organisation replaces only its own records: hazard references and village codes are
    # unique across organisations, but another organisation's record (or the province's own
    # village list) is skipped, never overwritten.
    replaceable = same_owner or "AND t.organisation_id = %(organisation)s"
    polygons = kind in (LayerKind.HAZARD, LayerKind.RELEASE)
    geometry = "ST_Multi(s.geometry)" if polygons else "s.geometry"
    columns += [model._meta.get_field(geometry_field).column, "upload_id"]
    selected += [geometry, "%(upload)s"]
    params = {
        "upload": upload.pk,
        "organisation": upload.organisation_id,
        "submitted": ReviewStatus.SUBMITTED,
    }
    clash = f"SELECT 1 FROM {table} t WHERE t.{identifier} = s.reference {same_owner}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM uploads_stagedfeature s "
            f"WHERE s.upload_id = %(upload)s AND EXISTS ({clash})",
            params,
        )
        (clashing,) = cursor.fetchone()
        if clashing and upload.options.get("refuse_conflicts"):
            raise UploadStateConflict(
                f"{clashing} reference(s) are already stored; nothing was stored",
                code="conflict",
            )
        replaced, replaced_from = 0, []
        if clashing and on_conflict == OnConflict.REPLACE:
            # The batches losing records are locked before their rows, in the order a review
            # decision takes them (upload, then records), so the two cannot deadlock.
            cursor.execute(
                f"SELECT DISTINCT t.upload_id FROM uploads_stagedfeature s "
                f"JOIN {table} t ON t.{identifier} = s.reference {replaceable} "
                "WHERE s.upload_id = %(upload)s AND t.upload_id IS NOT NULL",
                params,
            )
            replaced_from = sorted(row[0] for row in cursor.fetchall())
            list(Upload.objects.select_for_update().filter(pk__in=replaced_from).order_by("pk"))
            # Each replaced row is kept (geometry as hex EWKB) so a revert can put it back.
            geometry_column = quote(model._meta.get_field(geometry_field).column)
            cursor.execute(
                f"""
                WITH gone AS (
                    DELETE FROM {table} t USING uploads_stagedfeature s
                    WHERE s.upload_id = %(upload)s AND t.{identifier} = s.reference
                      {replaceable}
                    RETURNING t.*
                )
                INSERT INTO uploads_replacedrecord (upload_id, replaced_upload_id, record)
                SELECT %(upload)s, gone.upload_id,
                       to_jsonb(gone) || jsonb_build_object(
                           '{geometry_column.strip('"')}',
                           encode(ST_AsEWKB(gone.{geometry_column}), 'hex'))
                FROM gone
                """,
                params,
            )
            replaced = cursor.rowcount
        # What is still clashing (skip, or another organisation's hazard) is left as stored.
        skip = f"AND NOT EXISTS ({clash})" if clashing else ""
        cursor.execute(
            f"""
            INSERT INTO {table} ({", ".join(quote(c) for c in columns)})
            SELECT {", ".join(selected)}
            FROM uploads_stagedfeature s,
                 jsonb_populate_record(NULL::{table}, s.attributes) r
            WHERE s.upload_id = %(upload)s {skip}
            ORDER BY s.number
            """,
            params,
        )
        stored = cursor.rowcount
    return stored, replaced, clashing - replaced, replaced_from
