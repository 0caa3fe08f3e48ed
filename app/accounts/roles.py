"""The four roles of issue 4 as Django groups, and the permissions each one carries.

Checks in the code ask for a permission (``user.has_perm("accounts.review_records")``), never for
a group name, so an administrator can compose other roles in the Django admin. This table is what
``migrations/accounts`` and ``manage.py add_user`` install.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FIELD_COORDINATOR = "field_coordinator", _("Field coordinator")
    ANALYST = "analyst", _("Analyst (QTMAC)")
    PLANNER = "planner", _("Planner")
    ADMINISTRATOR = "administrator", _("Administrator")


ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.FIELD_COORDINATOR: ("view_data", "submit_own_uploads"),
    Role.ANALYST: (
        "view_data",
        "view_all_records",
        "review_records",
        "change_any_record",
        "manage_reference_data",
        "submit_any_uploads",
    ),
    Role.PLANNER: ("view_data",),
    Role.ADMINISTRATOR: ("view_data", "manage_users"),
}

# Django's own permissions an administrator needs for the user and group pages of /admin/.
ADMINISTRATOR_AUTH_PERMISSIONS = (
    "add_user",
    "change_user",
    "delete_user",
    "view_user",
    "view_group",
    "change_group",
    "add_profile",
    "change_profile",
    "view_profile",
)


def install_role_groups(Group, Permission) -> None:
    """Create or update the four groups with exactly their permissions. Takes the model classes
    so that a migration can pass its historical ones."""
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=str(role.value))
        wanted = list(
            Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames)
        )
        if role == Role.ADMINISTRATOR:
            wanted += list(
                Permission.objects.filter(
                    content_type__app_label__in=("auth", "accounts"),
                    codename__in=ADMINISTRATOR_AUTH_PERMISSIONS,
                )
            )
        group.permissions.set(wanted)


def roles_of(user) -> list[str]:
    """The role groups a user is in (a user may hold more than one)."""
    if not user.is_authenticated:
        return []
    return sorted(set(user.groups.values_list("name", flat=True)) & set(Role.values))
