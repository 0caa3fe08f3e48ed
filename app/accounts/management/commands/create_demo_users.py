"""manage.py create_demo_users: one user per role for the demo data, with new passwords."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from app.accounts import services
from app.accounts.language import command_language
from app.accounts.roles import Role


class Command(BaseCommand):
    help = (
        "Create (or reset) one demo user per role, coordinators of npa and mag, each with a new "
        "random password printed here and stored nowhere else. Refused when DEBUG is off."
    )

    def handle(self, *args, **options):
        # Vietnamese, or English with LANGUAGE=en (as add_user).
        with translation.override(command_language()):
            self._create()

    def _create(self):
        try:
            made = services.reset_demo_users()
        except services.DemoRefused as refusal:
            raise CommandError(str(refusal)) from None
        width = max(len(demo.username) for demo, _password in made)
        self.stdout.write(_("Demo users (new passwords on every run of create_demo_users):"))
        for demo, password in made:
            what = str(Role(demo.role).label)
            if demo.organisation_slug:
                what = _("%(role)s of %(organisation)s") % {
                    "role": what,
                    "organisation": demo.organisation_slug,
                }
            if demo.aggregates_only:
                what = _("%(role)s, aggregates only") % {"role": what}
            self.stdout.write(f"  {demo.username:<{width}}  {password}  {what}")
