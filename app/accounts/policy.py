"""Who may do what, in one place: every view, page and API endpoint asks these functions.

Roles (app.accounts.roles) are sets of permissions; the organisation a field coordinator works
for is on their Profile. Records of the registry carry an ``organisation_id`` and a review
``status``; what a user may see or change of them follows issue 4:

- a field coordinator sees everything approved and their own organisation's records in every
  state; uploads and corrects (drafts) for their own organisation only;
- an analyst sees and changes everything and reviews;
- a planner reads approved data only, and with ``aggregates_only`` no exact polygons;
- an administrator manages users and roles.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from app.registry.models import ReviewStatus
from app.registry.scopes import ReadingScope, end_of_day


class NotAllowed(PermissionDenied):
    """A refusal that says what the user lacks; the API and the pages show ``message``."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _profile(user):
    return getattr(user, "profile", None) if user.is_authenticated else None


def organisation_id_of(user) -> int | None:
    profile = _profile(user)
    return profile.organisation_id if profile else None


def can_view_data(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("accounts.view_data")


def sees_polygons(user) -> bool:
    """Exact hazard and release polygons (restricted positions): not for aggregates-only users."""
    profile = _profile(user)
    return can_view_data(user) and not (profile and profile.aggregates_only)


def finest_raster_resolution_m(user) -> float:
    """The smallest cells (metres) of a coverage raster this user may read: any for those who
    see polygons; for aggregates-only users RASTER_AGGREGATES_MIN_RESOLUTION_M, since fine
    cells of shares draw the polygons again."""
    return 0.0 if sees_polygons(user) else float(settings.RASTER_AGGREGATES_MIN_RESOLUTION_M)


def sees_all_records(user) -> bool:
    return user.is_authenticated and user.has_perm("accounts.view_all_records")


def can_review(user) -> bool:
    return user.is_authenticated and user.has_perm("accounts.review_records")


def can_change_any_record(user) -> bool:
    return user.is_authenticated and user.has_perm("accounts.change_any_record")


def can_manage_reference_data(user) -> bool:
    return user.is_authenticated and user.has_perm("accounts.manage_reference_data")


def can_manage_users(user) -> bool:
    """Users, roles and profiles in /admin/ (administrators); no access to data beyond reading."""
    return user.is_authenticated and user.has_perm("accounts.manage_users")


def _submitting_organisation_id(user) -> int | None:
    """The organisation a user uploads and corrects for, and whose unapproved records they see:
    a field coordinator's own. A planner whose profile names an organisation (a donor's
    officer) still reads approved data only."""
    if not user.is_authenticated or not user.has_perm("accounts.submit_own_uploads"):
        return None
    return organisation_id_of(user)


def sees_all_uploads(user) -> bool:
    return user.is_authenticated and user.has_perm("accounts.submit_any_uploads")


def can_upload_for(user, organisation_id: int | None) -> bool:
    if sees_all_uploads(user):
        return True
    own = _submitting_organisation_id(user)
    return own is not None and own == organisation_id


def can_upload(user) -> bool:
    """May upload for some organisation (the upload pages and API, the form)."""
    return sees_all_uploads(user) or _submitting_organisation_id(user) is not None


# Upload batches: an analyst sees and acts on every one; a field coordinator only on their own
# organisation's, and another organisation's upload is "not found" to them, so that ids do not
# tell what others sent; planners and administrators have no upload pages at all (403).


def visible_uploads(user, queryset):
    """The uploads of ``queryset`` the user may see (those who may not upload: none)."""
    if sees_all_uploads(user):
        return queryset
    own = _submitting_organisation_id(user)
    if own is None:
        return queryset.none()
    return queryset.filter(organisation_id=own)


def can_download_original(user, upload) -> bool:
    """The file of a batch as it was sent: exact positions, so whoever may upload for its
    organisation (an analyst any batch, a field coordinator their own) and sees polygons."""
    return can_upload_for(user, upload.organisation_id) and sees_polygons(user)


def can_submit_upload(user, upload) -> bool:
    """Commit a checked upload, or submit again the records of a batch sent back for correction
    (draft): whoever may upload for its organisation."""
    return can_upload_for(user, upload.organisation_id)


def can_revert_upload(user, upload, *, approved_records: int) -> bool:
    """Analysts revert any upload; a field coordinator their own organisation's while none of
    its records is approved: once the centre has approved a hectare, only an analyst takes it
    back out of the figures."""
    if can_change_any_record(user):
        return True
    return can_upload_for(user, upload.organisation_id) and approved_records == 0


@dataclass(frozen=True)
class RecordVisibility:
    """Whose records of the registry a user sees in every review state (deleted ones too),
    beside everyone's approved ones: every organisation's (``every_organisation``: analysts),
    those of ``organisation_id`` (a field coordinator's own), or nobody's. The one rule behind
    ``can_see_record`` (one record), ``visible_records`` (a queryset), the feature lists' SQL
    (app.api.selectors.features) and who may ask for records not yet approved."""

    every_organisation: bool
    organisation_id: int | None

    @property
    def sees_unapproved(self) -> bool:
        return self.every_organisation or self.organisation_id is not None


def record_visibility(user) -> RecordVisibility:
    if sees_all_records(user):
        return RecordVisibility(every_organisation=True, organisation_id=None)
    return RecordVisibility(
        every_organisation=False, organisation_id=_submitting_organisation_id(user)
    )


def upload_report_visibility(upload) -> RecordVisibility:
    """The stored records an upload's check report may name or count (overlaps, conflicts,
    releases outside every CHA): those the upload's organisation sees, whoever sent the file.
    The report is stored once and read by everyone who may see the upload, the organisation's
    field coordinators included (``visible_uploads``), so it is built for the narrowest of them:
    their own organisation's records in every state and everyone's approved ones. The check runs
    in the worker, with no request: this is asked of the upload, not of a user. An analyst who
    sent the file for an organisation reads the same report; the review page and the lists show
    analysts the rest."""
    return RecordVisibility(every_organisation=False, organisation_id=upload.organisation_id)


def can_see_record(user, record) -> bool:
    """One record of the registry (hazard, release, spot task, village)."""
    visibility = record_visibility(user)
    if visibility.every_organisation:
        return True
    if not can_view_data(user):
        return False
    own = visibility.organisation_id
    if own is not None and getattr(record, "organisation_id", None) == own:
        return True
    return record.status == ReviewStatus.APPROVED and record.deleted_at is None


def can_see_reference_record(user, record) -> bool:
    """A target or an admin unit: reference data every role reads; a deleted one only those who
    manage reference data (who may undo the deletion)."""
    return can_view_data(user) and (record.deleted_at is None or can_manage_reference_data(user))


def visible_records(user, queryset):
    """The records of ``queryset`` the user may see (same rule as ``can_see_record``)."""
    visibility = record_visibility(user)
    if visibility.every_organisation:
        return queryset
    if not can_view_data(user):
        return queryset.none()
    seen = Q(status=ReviewStatus.APPROVED, deleted_at__isnull=True)
    if visibility.organisation_id is not None:
        seen |= Q(organisation_id=visibility.organisation_id)
    return queryset.filter(seen)


def visible_records_sql(alias: str, visibility: RecordVisibility) -> tuple[str, dict]:
    """The rule of ``visible_records`` as an SQL condition on the rows ``alias`` of a record
    table, with its parameters, for the selectors that read records in SQL (the GeoJSON lists'
    status filter, an upload's check report, the review page's overlaps)."""
    if visibility.every_organisation:
        return "true", {}
    return (
        f"(({alias}.status = %(visible_status)s AND {alias}.deleted_at IS NULL) "
        f"OR {alias}.organisation_id = %(visible_organisation_id)s)",
        {
            "visible_status": ReviewStatus.APPROVED,
            "visible_organisation_id": visibility.organisation_id,
        },
    )


def can_change_record(user, record) -> bool:
    """Analysts change any record; a coordinator corrects their own organisation's drafts."""
    if can_change_any_record(user):
        return True
    own = _submitting_organisation_id(user)
    return (
        own is not None
        and getattr(record, "organisation_id", None) == own
        and record.status == ReviewStatus.DRAFT
        and record.deleted_at is None
    )


def can_list_deleted(user, *, reference_data: bool) -> bool:
    """Soft-deleted records, listed (web and API) so that a deletion can be undone: for those
    who may undo it, analysts (``reference_data``: targets and admin units)."""
    if reference_data:
        return can_manage_reference_data(user)
    return can_change_any_record(user)


def check_deleted_filter(user, *, reference_data: bool) -> None:
    if not can_list_deleted(user, reference_data=reference_data):
        raise NotAllowed(_("deleted records are listed for analysts only (to undo a deletion)"))


def can_assign_organisation(user, record, organisation_id: int | None) -> bool:
    """Give ``record`` the organisation ``organisation_id``: those who change any record give
    any; anyone else keeps the one it has (a coordinator who moved their draft to another
    organisation would hand it out of their own reach)."""
    return can_change_any_record(user) or organisation_id == getattr(
        record, "organisation_id", None
    )


def assignable_organisations(user, record, organisations):
    """The organisations of ``organisations`` (a queryset) that ``record`` may be given by
    ``user`` (the rule of ``can_assign_organisation``): the edit form offers only these."""
    if can_change_any_record(user):
        return organisations
    return organisations.filter(pk=getattr(record, "organisation_id", None))


def can_use_public_summary(user) -> bool:
    """Anonymous visitors see province and district aggregates only when PUBLIC_SUMMARY is on."""
    return not user.is_authenticated and settings.PUBLIC_SUMMARY


def reading_scope(user, *, include_submitted: bool = False, as_recorded=None) -> ReadingScope:
    """The records a user's statistics, maps and lists count.

    ``include_submitted`` adds pending work: everyone's for an analyst, their own organisation's
    for a field coordinator, refused for anyone else. ``as_recorded`` (a date) reads the
    approved registry as it stood at the end of that day; it cannot be combined.
    """
    if include_submitted and as_recorded is not None:
        raise ValueError(_("as_recorded reads approved records only; drop include=submitted"))
    if as_recorded is not None:
        return ReadingScope(as_recorded=end_of_day(as_recorded))
    if not include_submitted:
        return ReadingScope()
    visibility = record_visibility(user)
    if not visibility.sees_unapproved:
        raise NotAllowed(
            _("include=submitted is for analysts and field coordinators; you can see approved data")
        )
    if visibility.every_organisation:
        return ReadingScope(include_submitted=True)
    return ReadingScope(
        include_submitted=True, submitted_by=frozenset({visibility.organisation_id})
    )


def can_include_submitted(user) -> bool:
    """Pending work in statistics, maps and lists: everyone's for an analyst, their own
    organisation's for a field coordinator; planners and administrators read approved data."""
    return record_visibility(user).sees_unapproved


def check_status_filter(user, status: str) -> None:
    """A list filtered by review ``status``: approved for every reader; the other states for
    those who may see records not yet approved (whose, ``record_visibility`` says)."""
    if status != ReviewStatus.APPROVED and not can_include_submitted(user):
        raise NotAllowed(
            _("status=%(status)s is for analysts and field coordinators; you can see approved data")
            % {"status": status}
        )


# The public summary (settings.PUBLIC_SUMMARY): aggregates by province and district only. Rows by
# commune or organisation, and every polygon or point, stay behind the sign-in.
PUBLIC_SUMMARY_GROUPINGS = frozenset({"province", "district"})


def can_read_statistics(user, *, by: str) -> bool:
    """Statistics (and the province map) grouped ``by`` a level or by organisation: every role,
    and anyone when the public summary is on and ``by`` is the province or a district."""
    return can_view_data(user) or (can_use_public_summary(user) and by in PUBLIC_SUMMARY_GROUPINGS)
