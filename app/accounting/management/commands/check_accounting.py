"""``manage.py check_accounting``: the store's figures against the reference SQL's."""

import time

from django.core.management.base import BaseCommand, CommandError

from app.accounting.selectors.store_check import store_differences


class Command(BaseCommand):
    help = (
        "Compare every report from the accounting store with the reference SQL's full "
        "recompute, and the derived land unit by unit; exit 1 naming each figure that differs "
        "by more than 0.0001 ha or 1e-6 of it (the derived land: 0.001 ha or 1e-5)."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        differences = store_differences()
        seconds = time.monotonic() - started
        for difference in differences:
            self.stderr.write(str(difference))
        if differences:
            raise CommandError(
                f"{len(differences)} figures of the accounting store differ from the reference "
                f"(checked in {seconds:.1f} s): run `manage.py rebuild_accounting`, and report "
                "the figures above as a bug."
            )
        self.stdout.write(f"The accounting store agrees with the reference ({seconds:.1f} s).")
