"""manage.py backup --out FILE: the database (a pg_dump archive) and the upload files in one
file (app.backups.services). Prints in the site's language unless ``LANGUAGE`` asks for
English, like add_user."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from app.accounts.language import command_language
from app.backups.errors import BackupRefused
from app.backups.services import write_backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, custom format) and the upload files (UPLOAD_ROOT) into "
        "one new file, readable by its owner only; `manage.py restore FILE` brings it back."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="The new file, e.g. var/backups/x.tar.")

    def handle(self, *args, out, **options):
        with translation.override(command_language()):
            try:
                summary = write_backup(out=Path(out))
            except BackupRefused as refused:
                raise CommandError(refused.message) from None
            for name in summary.skipped:
                self.stderr.write(
                    _("not backed up: %(name)s in UPLOAD_ROOT is not a regular file")
                    % {"name": name}
                )
            self.stdout.write(
                _(
                    "Backed up database %(database)s and %(files)s upload files into %(path)s "
                    "(%(size)s bytes)."
                )
                % {
                    "database": summary.database,
                    "files": summary.upload_files,
                    "path": summary.path,
                    "size": summary.size_bytes,
                }
            )
