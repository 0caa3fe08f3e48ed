import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, no_translations

from app.uploads.worker import process_waiting_uploads, run_worker


class Command(BaseCommand):
    help = (
        "Check and commit queued uploads in the background, oldest first; several workers may "
        "run side by side. Woken by the database when an upload is queued (LISTEN/NOTIFY), "
        "polling every --poll-seconds anyway. SIGTERM or Ctrl-C: finish the upload in hand, "
        "then exit 0 (a second one stops at once; the commit in hand is then rolled back). "
        "--once processes what waits and exits (tests, cron)."
    )
    # A worker must start even when an unrelated part of the site fails its checks.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Process what waits, then exit.")
        parser.add_argument(
            "--poll-seconds",
            type=float,
            default=None,
            help="Look for waiting uploads this often even without a notify "
            "(default: UPLOAD_WORKER_POLL_SECONDS).",
        )

    # Reports and errors are stored in English whatever the server's language: the pages and the
    # API translate them for each reader (app.uploads.report_text).
    @no_translations
    def handle(self, *args, once, poll_seconds, **options):
        if once:
            done = process_waiting_uploads()
            self.stdout.write(f"processed {len(done)} upload(s): {done}")
            return
        stop = threading.Event()

        # A worker started in the background by a shell (make demo's supervisor) inherits SIGINT
        # ignored: Ctrl-C is for the foreground, and the supervisor passes it on as one SIGTERM.
        # Catching it there too made that SIGTERM a second signal, which stops at once.
        signals = [signal.SIGTERM]
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            signals.append(signal.SIGINT)

        def stop_after_this_upload(signum, frame):
            stop.set()
            # A second signal stops the process at once (a commit in hand rolls back).
            for each in signals:
                signal.signal(each, signal.SIG_DFL)

        for each in signals:
            signal.signal(each, stop_after_this_upload)
        self.stdout.write("upload worker: waiting for uploads (SIGTERM or Ctrl-C stops)")
        run_worker(
            poll_seconds=poll_seconds or settings.UPLOAD_WORKER_POLL_SECONDS,
            stop=stop,
            on_processed=lambda upload_id: self.stdout.write(f"processed upload {upload_id}"),
        )
        self.stdout.write("upload worker: stopped")
