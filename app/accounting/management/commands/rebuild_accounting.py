"""``manage.py rebuild_accounting``: the accounting store again from the whole registry."""

import time

from django.core.management.base import BaseCommand

from app.accounting.services import rebuild_store


class Command(BaseCommand):
    help = (
        "Rebuild the accounting store from the registry (one transaction) and say how long it took."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        counts = rebuild_store()
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Rebuilt the accounting store in {seconds:.1f} s: {counts['parts']:,} parts in "
            f"{counts['pieces']:,} unit pieces, {counts['series']:,} rows of released land by day."
        )
