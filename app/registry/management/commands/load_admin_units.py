from django.core.management.base import BaseCommand

from app.registry.services.admin_units import load_admin_units


class Command(BaseCommand):
    help = "Load the 2019 districts and the 2025 communes from data/boundaries/ (idempotent)."

    def handle(self, *args, **options):
        summary = load_admin_units()
        self.stdout.write(f"Admin units: {summary.created} created, {summary.updated} updated.")
