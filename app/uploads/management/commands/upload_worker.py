import time

from django.core.management.base import BaseCommand, no_translations

from app.uploads.worker import process_next_upload, process_waiting_uploads


class Command(BaseCommand):
    help = (
        "Check and commit queued uploads in the background, oldest first; several workers may "
        "run side by side. --once processes what waits and exits (tests, cron)."
    )
    # A worker must start even when an unrelated part of the site fails its checks.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Process what waits, then exit.")
        parser.add_argument(
            "--idle-seconds", type=float, default=1.0, help="Pause when nothing waits."
        )

    # Reports and errors are stored in English whatever the server's language: the pages and the
    # API translate them for each reader (app.uploads.report_text).
    @no_translations
    def handle(self, *args, once, idle_seconds, **options):
        if once:
            done = process_waiting_uploads()
            self.stdout.write(f"processed {len(done)} upload(s): {done}")
            return
        self.stdout.write("upload worker: waiting for uploads (Ctrl-C stops)")
        try:
            while True:
                upload_id = process_next_upload()
                if upload_id is None:
                    time.sleep(idle_seconds)
                else:
                    self.stdout.write(f"processed upload {upload_id}")
        except KeyboardInterrupt:
            return
