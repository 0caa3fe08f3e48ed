"""Reference data analysts manage: annual targets and organisations (issue 4, the analyst role).

Changing, deleting and restoring a target, and changing an admin unit, go through the record
services (app.records.services, layers ``targets`` and ``admin-units``), so their history is the
records' history. Organisations are not versioned (no history trigger on their table); their
writes still run inside ``recording`` so that they would be named if they ever are.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from app.accounts import policy
from app.records.changes import attribute_values, refusal_for_integrity_error
from app.records.exceptions import ChangeRefused, RecordNotFound
from app.records.layers import TARGETS
from app.registry.history import recording
from app.registry.models import AnnualTarget, Organisation

ORGANISATION_FIELDS = ("slug", "name", "kind")


def _check_manages(user) -> None:
    if not policy.can_manage_reference_data(user):
        raise policy.NotAllowed(_("only analysts manage targets, admin units and organisations"))


def create_target(*, user, values: dict, reason: str = "") -> AnnualTarget:
    """A new annual target from ``values`` (year, metric, value; admin_unit code and
    organisation slug, absent or null for the whole province and all organisations)."""
    _check_manages(user)
    for required in ("year", "metric", "value"):
        if values.get(required) in (None, ""):
            raise ChangeRefused(parameter=required, message=_("this field is required"))
    target = AnnualTarget()
    with recording(user=user, reason=reason):
        for name, value in attribute_values(TARGETS, target, values).items():
            setattr(target, name, value)
        _insert(target)
    return target


def create_organisation(*, user, values: dict) -> Organisation:
    _check_manages(user)
    for required in ORGANISATION_FIELDS:
        if values.get(required) in (None, ""):
            raise ChangeRefused(parameter=required, message=_("this field is required"))
    organisation = Organisation()
    with recording(user=user):
        _set_organisation_fields(organisation, values)
        _insert(organisation)
    return organisation


def change_organisation(*, user, slug: str, values: dict) -> Organisation:
    """Change an organisation's slug, name or kind. A new slug changes the filters and links
    that name it; the records keep their organisation."""
    _check_manages(user)
    with recording(user=user):
        organisation = Organisation.objects.select_for_update().filter(slug=slug).first()
        if organisation is None:
            raise RecordNotFound(
                parameter="slug",
                message=_("no organisation with slug %(slug)s") % {"slug": slug},
            )
        _set_organisation_fields(organisation, values)
        try:
            with transaction.atomic():
                organisation.save()
        except IntegrityError as error:
            raise refusal_for_integrity_error(error) from None
    return organisation


def _set_organisation_fields(organisation: Organisation, values: dict) -> None:
    if not isinstance(values, dict) or not values:
        raise ChangeRefused(
            parameter="changes", message=_("send slug, name and/or kind as a JSON object")
        )
    for name, value in values.items():
        if name not in ORGANISATION_FIELDS:
            raise ChangeRefused(
                parameter=name,
                message=_("not a field of an organisation; these are: %(fields)s")
                % {"fields": ", ".join(ORGANISATION_FIELDS)},
            )
        field = Organisation._meta.get_field(name)
        try:
            cleaned = field.clean(value.strip() if isinstance(value, str) else value, organisation)
        except ValidationError as error:
            raise ChangeRefused(parameter=name, message=" ".join(error.messages)) from None
        setattr(organisation, name, cleaned)


def _insert(instance) -> None:
    try:
        with transaction.atomic():
            instance.save(force_insert=True)
    except IntegrityError as error:
        raise refusal_for_integrity_error(error) from None
