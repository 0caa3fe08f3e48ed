from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_role_groups(sender, **kwargs):
    # After migrate, when Django has created the permissions of every app: a migration of its own
    # would run before the permissions exist.
    from django.contrib.auth.models import Group, Permission

    from app.accounts.roles import install_role_groups

    install_role_groups(Group, Permission)


class AccountsConfig(AppConfig):
    """Who may do what: roles, organisation membership, API tokens, sign-in throttling."""

    name = "app.accounts"
    label = "accounts"
    verbose_name = "Users and roles"

    def ready(self):
        post_migrate.connect(_install_role_groups, sender=self)
        # Registers the token scheme with drf-spectacular before any schema is generated.
        from app.accounts import schema  # noqa: F401
