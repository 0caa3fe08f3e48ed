"""manage.py restore FILE: a backup (manage.py backup) into the empty database of DATABASE_URL
and into UPLOAD_ROOT, refusing to overwrite anything (app.backups.services). Prints in the
site's language unless ``LANGUAGE`` asks for English, like add_user."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from app.accounts.language import command_language
from app.backups.errors import BackupRefused
from app.backups.services import restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup written by `manage.py backup` into an empty database (DATABASE_URL) "
        "and UPLOAD_ROOT; refuses a database that has tables, or upload folders that exist."
    )
    # The database is empty until the restore: nothing may ask it anything first.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup, e.g. var/backups/landrelease-....tar.")

    def handle(self, *args, file, **options):
        with translation.override(command_language()):
            try:
                summary = restore_backup(archive_path=Path(file))
            except BackupRefused as refused:
                raise CommandError(refused.message) from None
            self.stdout.write(
                _(
                    "Restored the backup of %(created_at)s into database %(database)s, and "
                    "%(files)s upload files into UPLOAD_ROOT."
                )
                % {
                    "created_at": summary.created_at,
                    "database": summary.database,
                    "files": summary.upload_files,
                }
            )
            if summary.migrations_pending:
                self.stdout.write(
                    _("This code is newer than the backup: run manage.py migrate now.")
                )
