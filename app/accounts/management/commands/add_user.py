"""manage.py add_user USERNAME --role ROLE [--organisation SLUG] [--aggregates-only]
[--language vi|en] [--password-from-env VAR]: a user in one role, with their profile.

It prints, and the password validators refuse, in the site's language (Vietnamese) unless the
``LANGUAGE`` environment variable asks for English (app.accounts.language.command_language);
``--language`` is the new user's language, not the command's.
"""

import getpass
import os
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from app.accounts import services
from app.accounts.language import command_language
from app.accounts.roles import Role


class Command(BaseCommand):
    help = (
        "Add a user in one role (field_coordinator needs --organisation). The password comes "
        "from the environment variable named by --password-from-env, else is asked twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--organisation", help="Slug of the user's organisation (e.g. npa).")
        parser.add_argument(
            "--aggregates-only",
            action="store_true",
            help="Statistics and unit totals only, never exact hazard or release polygons.",
        )
        parser.add_argument(
            "--language",
            choices=["vi", "en"],
            default="",
            help="The user's language on the site (default: their browser's). The command "
            "itself prints in Vietnamese, or in English with LANGUAGE=en.",
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="", help="Given name, shown in the nav bar.")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--password-from-env",
            metavar="VAR",
            help="Read the password from this environment variable (for scripts; never put a "
            "password on the command line).",
        )

    def handle(self, *args, **options):
        with translation.override(command_language()):
            self._add(**options)

    def _add(self, *, username, role, password_from_env, **options):
        password = self._password(password_from_env)
        try:
            user = services.create_user(
                username=username,
                password=password,
                role=role,
                organisation_slug=options["organisation"],
                aggregates_only=options["aggregates_only"],
                language=options["language"],
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                check_password=True,
            )
        except services.UserRefused as refusal:
            raise CommandError(str(refusal)) from None
        what = str(Role(role).label)
        if user.profile.organisation:
            what = _("%(role)s of %(organisation)s") % {
                "role": what,
                "organisation": user.profile.organisation.slug,
            }
        if user.profile.aggregates_only:
            what = _("%(role)s, aggregates only") % {"role": what}
        self.stdout.write(
            _("Created user %(username)s: %(what)s") % {"username": user.username, "what": what}
        )

    def _password(self, variable: str | None) -> str:
        if variable:
            password = os.environ.get(variable, "")
            if not password:
                raise CommandError(
                    _("--password-from-env %(variable)s: that variable is empty or unset")
                    % {"variable": variable}
                )
            return password
        if not sys.stdin.isatty():
            raise CommandError(
                _("no password: pass --password-from-env VAR, or run in a terminal to be asked")
            )
        password = getpass.getpass(_("Password: "))
        if password != getpass.getpass(_("Password (again): ")):
            raise CommandError(_("the two passwords differ"))
        return password
