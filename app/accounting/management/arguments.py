"""Command-line options shared by the commands that print statistics or write reports
(``manage.py stats``, ``manage.py report``): which records they count, as the endpoints'
``include`` and ``as_recorded`` parameters."""


def add_scope_arguments(parser) -> None:
    parser.add_argument(
        "--include-submitted",
        dest="include",
        action="store_const",
        const="submitted",
        help="Count submitted work not yet approved too (every organisation's).",
    )
    parser.add_argument(
        "--as-recorded",
        dest="as_recorded",
        help="YYYY-MM-DD: the registry as it stood at the end of that day.",
    )
