"""Creating users with a role: ``manage.py add_user``, the demo users, the tests."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from app.accounts.models import Profile
from app.accounts.roles import Role
from app.registry.models import Organisation


class UserRefused(ValueError):
    """Bad input for a new user; the message says what to fix."""


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
):
    """A user in one role group with their profile. A field coordinator needs an organisation;
    an administrator is also staff, for the user and group pages of /admin/."""
    if role not in Role.values:
        raise UserRefused(_("role must be one of %(roles)s") % {"roles": ", ".join(Role.values)})
    organisation = None
    if organisation_slug:
        organisation = Organisation.objects.filter(slug=organisation_slug).first()
        if organisation is None:
            raise UserRefused(
                _("no organisation with slug %(slug)s (add it with manage.py add_organisation)")
                % {"slug": organisation_slug}
            )
    if role == Role.FIELD_COORDINATOR and organisation is None:
        raise UserRefused(_("a field coordinator needs an organisation (--organisation)"))
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise UserRefused(_("user name %(name)s is taken") % {"name": username})
    user = User.objects.create_user(
        username=username,
        password=password,
        email=email,
        is_staff=role == Role.ADMINISTRATOR,
    )
    user.groups.add(Group.objects.get(name=role))
    Profile.objects.create(
        user=user, organisation=organisation, aggregates_only=aggregates_only, language=language
    )
    return user
