from django.core.management.base import BaseCommand, CommandError

from app.registry.models import Organisation, OrganisationKind


class Command(BaseCommand):
    help = (
        "Add an organisation (or update its name and kind): add_organisation npa 'NPA' --kind ngo"
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("name")
        parser.add_argument("--kind", required=True, choices=OrganisationKind.values)

    def handle(self, *args, slug, name, kind, **options):
        if not slug.replace("-", "").replace("_", "").isalnum():
            raise CommandError(f"slug {slug!r}: use letters, digits, '-' or '_' only")
        org, created = Organisation.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind}
        )
        self.stdout.write(f"{'Created' if created else 'Updated'} organisation {org.slug}: {org}")
