"""Reading a user's account: who they are, what they may do, their API tokens.

The profile page, the nav bar of every page and ``GET /api/v1/auth/me/`` show the same facts.
"""

from dataclasses import dataclass

from django.utils import translation

from app.accounts import policy
from app.accounts.models import ApiToken
from app.accounts.roles import Role, roles_of


@dataclass(frozen=True)
class Account:
    username: str
    name: str
    roles: list[str]
    role_labels: list[str]
    organisation_slug: str | None
    organisation_name: str | None
    aggregates_only: bool
    language: str
    """The language chosen on the profile; empty: the browser's, else Vietnamese."""
    active_language: str
    can_view_data: bool
    sees_polygons: bool
    sees_all_records: bool
    can_review: bool
    can_upload: bool
    can_change_any_record: bool
    can_manage_reference_data: bool
    can_manage_users: bool


def account(user) -> Account:
    """The signed-in ``user``'s account. A user without a profile (a superuser made with
    ``createsuperuser``) has no organisation, no limit and no language of their own."""
    profile = getattr(user, "profile", None)
    organisation = profile.organisation if profile else None
    roles = roles_of(user)
    return Account(
        username=user.get_username(),
        name=user.get_full_name() or user.get_username(),
        roles=roles,
        role_labels=[str(Role(role).label) for role in roles],
        organisation_slug=organisation.slug if organisation else None,
        organisation_name=organisation.name if organisation else None,
        aggregates_only=bool(profile and profile.aggregates_only),
        language=profile.language if profile else "",
        active_language=translation.get_language(),
        can_view_data=policy.can_view_data(user),
        sees_polygons=policy.sees_polygons(user),
        sees_all_records=policy.sees_all_records(user),
        can_review=policy.can_review(user),
        can_upload=policy.can_upload(user),
        can_change_any_record=policy.can_change_any_record(user),
        can_manage_reference_data=policy.can_manage_reference_data(user),
        can_manage_users=policy.can_manage_users(user),
    )


def active_tokens(user):
    """The user's tokens not revoked, newest first: those that open the API and the expired
    ones (marked so on the profile page, and revocable there)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by(
        "-created_at", "-id"
    )
