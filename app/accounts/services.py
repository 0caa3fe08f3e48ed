"""Accounts: creating users with a role, signing in, API tokens, the profile's language.

Used by the sign-in page, the token API, ``manage.py add_user`` and ``create_demo_users``, and
the tests' factories.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from app.accounts import throttle
from app.accounts.models import ApiToken, Profile, SignInFailure, token_digest
from app.accounts.roles import Role
from app.registry.models import Organisation

LANGUAGE_CHOICES = ("", "vi", "en")


class UserRefused(ValueError):
    """Bad input for a new user; the message says what to fix."""


class WrongCredentials(Exception):
    """The user name and password do not match an active account."""


class TokenRefused(ValueError):
    """Bad input for a new token; the message says what to fix."""


# Ten years: a longer life is a token that never expires, and 0 says that plainly.
MAX_TOKEN_DAYS = 3650


class TokenNotFound(LookupError):
    """No active token with that id among the user's own."""


def _organisation(slug: str | None) -> Organisation | None:
    if not slug:
        return None
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise UserRefused(
            _("no organisation with slug %(slug)s (add it with manage.py add_organisation)")
            % {"slug": slug}
        )
    return organisation


def _check_account(*, role: str, organisation: Organisation | None, language: str) -> None:
    if role not in Role.values:
        raise UserRefused(_("role must be one of %(roles)s") % {"roles": ", ".join(Role.values)})
    if role == Role.FIELD_COORDINATOR and organisation is None:
        raise UserRefused(_("a field coordinator needs an organisation (--organisation)"))
    if language not in LANGUAGE_CHOICES:
        raise UserRefused(_("language must be vi or en, not %(language)s") % {"language": language})


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str,
    role: str,
    organisation_slug: str | None = None,
    aggregates_only: bool = False,
    language: str = "",
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    check_password: bool = False,
):
    """A user in one role group with their profile. A field coordinator needs an organisation;
    an administrator is also staff, for the user and group pages of /admin/.
    ``check_password`` applies AUTH_PASSWORD_VALIDATORS (``manage.py add_user`` does)."""
    organisation = _organisation(organisation_slug)
    _check_account(role=role, organisation=organisation, language=language)
    User = get_user_model()
    if not username.strip():
        raise UserRefused(_("user name: give one"))
    if User.objects.filter(username=username).exists():
        raise UserRefused(_("user name %(name)s is taken") % {"name": username})
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=role == Role.ADMINISTRATOR,
    )
    if check_password:
        try:
            password_validation.validate_password(password, user=user)
        except ValidationError as error:
            raise UserRefused(_("password: %(why)s") % {"why": " ".join(error.messages)}) from None
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=role))
    Profile.objects.create(
        user=user, organisation=organisation, aggregates_only=aggregates_only, language=language
    )
    return user


def sign_in(*, username: str, password: str, address: str | None, request=None):
    """The active user with that user name and password, through the back-off of
    app.accounts.throttle: raises throttle.SignInRefused while the attempt must wait (the
    password is then not checked), WrongCredentials when they do not match."""
    attempt = throttle.begin_attempt(username=username, address=address)
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise WrongCredentials(_("the user name and password do not match an active account"))
    throttle.forgive(attempt)
    return user


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str
    """The secret itself, shown once: only its SHA-256 is stored."""


def create_token(*, user, name: str = "", expires_in_days: int | None = None) -> NewToken:
    """A new token of ``user`` that expires after ``expires_in_days`` days (0: never; None:
    the site's API_TOKEN_DAYS)."""
    if expires_in_days is None:
        expires_in_days = settings.API_TOKEN_DAYS
    if not 0 <= expires_in_days <= MAX_TOKEN_DAYS:
        raise TokenRefused(
            _("expires_in_days: give a number of days from 0 (never) to %(max)s, not %(given)s")
            % {"max": MAX_TOKEN_DAYS, "given": expires_in_days}
        )
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=(name.strip() or _("API token"))[: ApiToken._meta.get_field("name").max_length],
        digest=token_digest(key),
        prefix=key[:8],
        expires_at=timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    return NewToken(token=token, key=key)


@transaction.atomic
def revoke_token(*, user, token_id: int) -> ApiToken:
    """Revoke one of the user's own active tokens; another user's is not found (TokenNotFound),
    so that ids tell nothing about other users."""
    token = (
        ApiToken.objects.select_for_update()
        .filter(user=user, pk=token_id, revoked_at__isnull=True)
        .first()
    )
    if token is None:
        raise TokenNotFound(_("no active token %(id)s of yours") % {"id": token_id})
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


@transaction.atomic
def set_language(*, user, language: str) -> Profile:
    """The language of the user's pages and messages ('' : the browser's, else Vietnamese)."""
    if language not in LANGUAGE_CHOICES:
        raise UserRefused(_("language must be vi or en, not %(language)s") % {"language": language})
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.language = language
    profile.save(update_fields=["language"])
    return profile


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    organisation_slug: str | None = None
    aggregates_only: bool = False


# One user per role, coordinators in two of the demo data's organisations (app.demo.generator).
DEMO_USERS = (
    DemoUser("demo-coordinator-npa", Role.FIELD_COORDINATOR, "npa"),
    DemoUser("demo-coordinator-mag", Role.FIELD_COORDINATOR, "mag"),
    DemoUser("demo-analyst", Role.ANALYST),
    DemoUser("demo-planner", Role.PLANNER),
    DemoUser("demo-planner-aggregates", Role.PLANNER, aggregates_only=True),
    DemoUser("demo-admin", Role.ADMINISTRATOR),
)


class DemoRefused(Exception):
    pass


@transaction.atomic
def reset_demo_users() -> list[tuple[DemoUser, str]]:
    """Create the demo users, or put them back as DEMO_USERS says, each with a new random
    password; returns each user with their password, which is stored nowhere else. Refused
    when DEBUG is off: demo accounts with printed passwords must never reach production."""
    if not settings.DEBUG:
        raise DemoRefused(
            _(
                "demo users are for demo data only: DEBUG is off, so this looks like production. "
                "Create real users with manage.py add_user."
            )
        )
    from app.demo.generator import ORGANISATIONS

    slugs = {user.organisation_slug for user in DEMO_USERS} - {None}
    for organisation in ORGANISATIONS:
        if organisation.slug in slugs:
            Organisation.objects.get_or_create(
                slug=organisation.slug,
                defaults={"name": organisation.name, "kind": organisation.kind},
            )
    User = get_user_model()
    made = []
    for demo in DEMO_USERS:
        password = secrets.token_urlsafe(9)
        user, _created = User.objects.get_or_create(username=demo.username)
        user.set_password(password)
        user.is_active = True
        user.is_staff = demo.role == Role.ADMINISTRATOR
        user.is_superuser = False
        user.save()
        user.groups.set([Group.objects.get(name=demo.role)])
        user.user_permissions.clear()
        # A demo user locked out by earlier tries can sign in with the new password at once.
        SignInFailure.objects.filter(username=demo.username).delete()
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "organisation": _organisation(demo.organisation_slug),
                "aggregates_only": demo.aggregates_only,
            },
        )
        made.append((demo, password))
    return made
