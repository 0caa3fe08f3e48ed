"""Every query runner that reads inside a reading scope takes its cursor from
``app.registry.scopes.reads_connection()``.

A reading may run on a replica (app.registry.replicas); ``django.db.connection`` is the
primary's, outside the scope's transaction: a query through it inside reading() would see the
tables themselves, pending and deleted records included, and nothing would fail on one machine.
"""

import ast
from pathlib import Path

import app

APP_DIR = Path(app.__file__).parent
SCOPE_NAMES = {"reading", "scoped_reads"}


def primary_cursors(path: Path) -> list[int]:
    """Lines of ``connection.cursor()`` with django.db's connection, in a module that reads
    inside a scope."""
    tree = ast.parse(path.read_text(), filename=str(path))
    imports = [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    uses_scopes = any(
        node.module == "app.registry.scopes" and SCOPE_NAMES & {a.name for a in node.names}
        for node in imports
    )
    imports_connection = any(
        node.module == "django.db" and "connection" in {a.name for a in node.names}
        for node in imports
    )
    if not (uses_scopes and imports_connection):
        return []
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr == "cursor"
        and isinstance(node.value, ast.Name)
        and node.value.id == "connection"
    ]


def test_no_module_that_reads_in_a_scope_queries_through_django_db_connection():
    offenders = {
        str(path.relative_to(APP_DIR.parent)): lines
        for path in sorted(APP_DIR.rglob("*.py"))
        if (lines := primary_cursors(path))
    }

    assert offenders == {}, "use app.registry.scopes.reads_connection().cursor() instead"
