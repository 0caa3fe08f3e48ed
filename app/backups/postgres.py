"""PostgreSQL's own client programs (pg_dump, pg_restore) run against the site's database.

The connection comes from settings.DATABASES (DATABASE_URL) and reaches the programs through
their environment (PGHOST, PGUSER, PGPASSWORD...): a password never appears on a command line,
where every user of the machine could read it in the process list.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, connection
from django.utils.translation import gettext as _

from app.backups.errors import BackupRefused

DEBIAN_BIN_DIR = "/usr/lib/postgresql/{major}/bin"


def database_name() -> str:
    return settings.DATABASES["default"]["NAME"]


def server_version() -> tuple[int, str]:
    """The server's major version and full version text; a refusal when it cannot be reached."""
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            text = cursor.fetchone()[0]
    except OperationalError as error:
        raise BackupRefused(
            _(
                "cannot reach the database %(name)s (%(error)s); is PostgreSQL running, and "
                "does DATABASE_URL name the right database?"
            )
            % {"name": database_name(), "error": str(error).strip().splitlines()[0]}
        ) from error
    return connection.pg_version // 10000, text


def client_program(name: str, *, server_major: int) -> str:
    """The path of ``name`` (pg_dump, pg_restore) for the server's major version: from
    PG_BIN_DIR, else Debian's directory for that version, else PATH when it is at least as
    new (an older pg_dump refuses a newer server, and its archives may lack what it holds)."""
    directory = settings.PG_BIN_DIR or DEBIAN_BIN_DIR.format(major=server_major)
    candidate = Path(directory) / name
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return str(candidate)
    if settings.PG_BIN_DIR:
        raise BackupRefused(
            _("PG_BIN_DIR is %(directory)s, which has no %(program)s")
            % {"directory": directory, "program": name}
        )
    found = shutil.which(name)
    found_major = _major_version(found) if found else None
    if found_major is None or found_major < server_major:
        raise BackupRefused(
            _(
                "no %(program)s for PostgreSQL %(major)s: install postgresql-client-%(major)s "
                "(Debian), or set PG_BIN_DIR to the folder that holds it"
            )
            % {"program": name, "major": server_major}
        )
    return found


def run_client(command: list[str]) -> subprocess.CompletedProcess:
    """Run a client program with the connection in its environment; a refusal quoting its
    error when it fails."""
    result = subprocess.run(command, env=client_environment(), capture_output=True, text=True)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        raise BackupRefused(
            _("%(program)s failed: %(error)s")
            % {
                "program": Path(command[0]).name,
                "error": " / ".join(lines[-5:])
                or _("exit status %(status)s") % {"status": result.returncode},
            }
        )
    return result


def client_environment() -> dict[str, str]:
    database = settings.DATABASES["default"]
    given = {
        "PGHOST": database.get("HOST"),
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database.get("NAME"),
        "PGSSLMODE": (database.get("OPTIONS") or {}).get("sslmode"),
    }
    return {**os.environ, **{name: value for name, value in given.items() if value}}


def _major_version(program: str) -> int | None:
    output = subprocess.run([program, "--version"], capture_output=True, text=True).stdout
    found = re.search(r"\)\s+(\d+)", output)
    return int(found.group(1)) if found else None
