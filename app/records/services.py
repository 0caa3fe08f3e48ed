"""Changing one record by hand: edit, soft delete, undo the deletion, restore a past version.

Each service is one transaction inside ``recording(user=..., reason=...)``, so the history
trigger writes who did it and why beside the new version. Who may do what is asked of
app.accounts.policy:

- hazards, releases, spot tasks and villages: analysts change any record; a field
  coordinator changes (and deletes) their own organisation's drafts only. An edit never moves
  the review state: an approved record an analyst corrects stays approved (the history keeps
  the change), a coordinator's draft stays a draft.
- targets and admin units (reference data): analysts (``can_manage_reference_data``).
- undoing a deletion and restoring a version write the review state back too, so they are
  for analysts only.

Restoring a version of a record that an upload revert removed outright re-inserts it under its
old id with the version's data (its upload link included), as action ``restored``: the revert
was of a whole batch, and bringing back one record of it is a decision an analyst may take
with a reason. A clash with a record stored since (the same reference) is refused with a 400.
"""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from app.accounts import policy
from app.records.changes import attribute_values, refusal_for_integrity_error
from app.records.exceptions import ChangeRefused, RecordNotFound, RecordStateConflict
from app.records.labels import REVIEW_STATE_WORDS
from app.records.layers import ADMIN_UNITS, RecordLayer
from app.records.selectors import (
    layer_of_version,
    record_layer,
    visible_record,
    visible_record_or_history,
)
from app.registry.history import recording
from app.registry.models import RecordVersion
from app.registry.scope_views import table_columns
from app.uploads.services.review_state import sum_up_reviews


def change_record(*, layer: str, record_id: int, user, changes: dict, reason: str = ""):
    """Change attributes and/or the geometry (``changes["geometry"]``, GeoJSON) of a record;
    returns the record as stored. Raises RecordNotFound, NotAllowed, RecordStateConflict (a
    deleted record) or ChangeRefused (a value or a combination the rules refuse)."""
    spec = record_layer(layer)
    with recording(user=user, reason=reason):
        record = visible_record(layer=spec, record_id=record_id, user=user, for_update=True)
        if record.deleted_at is not None:
            raise RecordStateConflict(
                _("the record is deleted; undo the deletion before changing it")
            )
        _check_may_change(user, spec, record)
        values = attribute_values(spec, record, changes)
        _check_organisation_move(user, spec, record, values)
        for name, value in values.items():
            setattr(record, name, value)
        _save(record, fields=list(values))
    return record


def delete_record(*, layer: str, record_id: int, user, reason: str):
    """Soft delete: the record leaves every statistic, map and list; its row and history stay,
    and an analyst can undo it."""
    spec = record_layer(layer)
    _require_reason(reason)
    if spec is ADMIN_UNITS:
        raise ChangeRefused(
            parameter="layer",
            message=_("admin units are not deleted: set valid_to to end a unit's validity"),
        )
    with recording(user=user, reason=reason):
        record = visible_record(layer=spec, record_id=record_id, user=user, for_update=True)
        if record.deleted_at is not None:
            raise RecordStateConflict(_("the record is deleted already"))
        _check_may_change(user, spec, record)
        record.deleted_at = timezone.now()
        _save(record, fields=["deleted_at"])
        _sum_up_batch(spec, record)
    return record


def undelete_record(*, layer: str, record_id: int, user, reason: str = ""):
    spec = record_layer(layer)
    with recording(user=user, reason=reason):
        record = visible_record(layer=spec, record_id=record_id, user=user, for_update=True)
        _check_may_undo(user, spec)
        if record.deleted_at is None:
            raise RecordStateConflict(_("the record is not deleted"))
        record.deleted_at = None
        _save(record, fields=["deleted_at"])
        _sum_up_batch(spec, record)
    return record


def restore_version(*, version_id: int, user, reason: str) -> RecordVersion:
    """Write a past version's data and geometry back onto its record (all but the id), or
    re-insert a record removed outright; recorded as action ``restored``. Returns the version
    that was restored."""
    _require_reason(reason)
    version = RecordVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise RecordNotFound(
            parameter="version_id", message=_("no version %(id)s") % {"id": version_id}
        )
    spec = layer_of_version(version)
    visible_record_or_history(layer=spec, record_id=version.record_id, user=user)
    _check_may_undo(user, spec)
    if version.valid_to is None:
        raise ChangeRefused(
            parameter="version_id",
            message=_("this is the record's current version; there is nothing to restore"),
        )
    with recording(user=user, reason=reason, action="restored"):
        current = (
            spec.model.objects.select_for_update()
            .filter(pk=version.record_id)
            .values("upload_id")
            .first()
        )
        alive = current is not None
        try:
            with transaction.atomic():
                _write_version(spec, version, insert=not alive)
        except IntegrityError as error:
            raise refusal_for_integrity_error(error) from None
        if spec.reviewed:
            # The state, the deletion and the batch written back are the version's.
            sum_up_reviews([version.data.get("upload_id"), (current or {}).get("upload_id")])
    return version


def _write_version(spec: RecordLayer, version: RecordVersion, *, insert: bool) -> None:
    table = connection.ops.quote_name(spec.table)
    with connection.cursor() as cursor:
        # The columns as they are now; a column the version predates keeps its current value.
        columns = [
            name
            for name, _type in table_columns(cursor, spec.table)
            if name not in ("id", spec.geometry_column) and name in version.data
        ]
        quoted = [connection.ops.quote_name(name) for name in columns]
        geometry = connection.ops.quote_name(spec.geometry_column) if spec.geometry_column else None
        source = (
            f"FROM registry_recordversion v, jsonb_populate_record(NULL::{table}, v.data) AS r "
            "WHERE v.id = %s"
        )
        if insert:
            targets = ["id", *quoted, *([geometry] if geometry else [])]
            values = ["v.record_id", *(f"r.{name}" for name in quoted)]
            values += ["v.geometry"] if geometry else []
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(targets)}) SELECT {', '.join(values)} {source}",
                [version.pk],
            )
        else:
            assignments = [f"{name} = r.{name}" for name in quoted]
            assignments += [f"{geometry} = v.geometry"] if geometry else []
            cursor.execute(
                f"UPDATE {table} AS t SET {', '.join(assignments)} {source} AND t.id = v.record_id",
                [version.pk],
            )


def _save(record, *, fields: list[str]) -> None:
    try:
        with transaction.atomic():
            record.save(update_fields=fields)
    except IntegrityError as error:
        raise refusal_for_integrity_error(error) from None


def _sum_up_batch(spec: RecordLayer, record) -> None:
    """A record deleted or back counts, or no longer counts, in its batch's review state."""
    if spec.reviewed:
        sum_up_reviews([record.upload_id])


def _require_reason(reason: str) -> None:
    if not (reason or "").strip():
        raise ChangeRefused(parameter="reason", message=_("say why; the history keeps it"))


def can_change(user, spec: RecordLayer, record) -> bool:
    """May edit and delete this record (the page shows the forms)."""
    if spec.reviewed:
        return policy.can_change_record(user, record)
    return policy.can_manage_reference_data(user)


def can_undo(user, spec: RecordLayer) -> bool:
    """May undo deletions and restore versions of this layer's records."""
    if spec.reviewed:
        return policy.can_change_any_record(user)
    return policy.can_manage_reference_data(user)


def _check_may_change(user, spec: RecordLayer, record) -> None:
    if can_change(user, spec, record):
        return
    if not spec.reviewed:
        raise policy.NotAllowed(_("only analysts manage targets, admin units and organisations"))
    own = policy.organisation_id_of(user)
    if own is not None and own == record.organisation_id and policy.can_upload_for(user, own):
        raise policy.NotAllowed(
            _(
                "a field coordinator changes their organisation's drafts only; this record is "
                "%(status)s (an analyst can send it back for correction)"
            )
            % {"status": REVIEW_STATE_WORDS[record.status]}
        )
    raise policy.NotAllowed(
        _("only analysts change this record; a field coordinator corrects their own drafts")
    )


def _check_may_undo(user, spec: RecordLayer) -> None:
    if not can_undo(user, spec):
        raise policy.NotAllowed(_("only analysts undo deletions and restore earlier versions"))


def _check_organisation_move(user, spec: RecordLayer, record, values: dict) -> None:
    """Only those who change any record move one to another organisation: a coordinator who
    could would hand their draft out of their own reach."""
    organisation = values.get("organisation")
    if "organisation" in values and not policy.can_assign_organisation(
        user, record, getattr(organisation, "pk", None)
    ):
        raise policy.NotAllowed(_("only analysts move a record to another organisation"))
