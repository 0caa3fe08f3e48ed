"""manage.py add_user USERNAME --role ROLE [--organisation SLUG] [--aggregates-only]
[--language vi|en] [--password-from-env VAR]: a user in one role, with their profile."""

import getpass
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from app.accounts import services
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
            "--language", choices=["vi", "en"], default="", help="Default: the browser's."
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

    def handle(self, *args, username, role, password_from_env, **options):
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
        organisation = user.profile.organisation
        self.stdout.write(
            f"Created user {user.username}: {Role(role).label}"
            + (f" of {organisation.slug}" if organisation else "")
            + (", aggregates only" if user.profile.aggregates_only else "")
        )

    def _password(self, variable: str | None) -> str:
        if variable:
            password = os.environ.get(variable, "")
            if not password:
                raise CommandError(
                    f"--password-from-env {variable}: that variable is empty or unset"
                )
            return password
        if not sys.stdin.isatty():
            raise CommandError(
                "no password: pass --password-from-env VAR, or run in a terminal to be asked"
            )
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("the two passwords differ")
        return password
