"""manage.py stats clearance|release|progress: the stats endpoints' JSON on the command line.

Arguments go through the API's parameter serializers and the same selectors and rendering, so
the printed JSON is the API's, byte for byte apart from indentation. Approved records by default;
``--include-submitted`` adds every organisation's submitted work (whoever runs this command has
the database), ``--as-recorded YYYY-MM-DD`` reads the registry as it stood at the end of that day.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from app.accounting.exceptions import InvalidReportParameter, UnknownUnit
from app.accounting.management.arguments import add_scope_arguments
from app.accounting.params import ClearanceParams, ProgressParams, ReleaseParams
from app.accounting.report_json import scoped_report_json
from app.accounting.selectors import clearance_report, progress_report, release_report
from app.registry.scopes import APPROVED, BeforeHistory, ReadingScope, end_of_day, reading


class Command(BaseCommand):
    help = "Print a land-release statistic as JSON (the same JSON as /api/v1/stats/)."

    def add_arguments(self, parser):
        reports = parser.add_subparsers(dest="report", required=True, metavar="REPORT")

        clearance = reports.add_parser("clearance", help="Clearance in one year.")
        clearance.add_argument("--year", required=True)
        clearance.add_argument("--by", default="district", help="district|commune|organisation")
        clearance.add_argument("--boundary-set", dest="boundary_set")

        release = reports.add_parser("release", help="Release of CHA as of a date.")
        release.add_argument("--as-of", dest="as_of", required=True, help="YYYY-MM-DD")
        release.add_argument("--by", default="district", help="district|commune|province")
        release.add_argument("--boundary-set", dest="boundary_set")
        release.add_argument("--unit", help="Only the unit with this code.")

        progress = reports.add_parser("progress", help="Province progress year by year.")
        progress.add_argument("--from", dest="from", required=True)
        progress.add_argument("--to", dest="to", required=True)
        progress.add_argument("--boundary-set", dest="boundary_set")

        for report in (clearance, release, progress):
            add_scope_arguments(report)

    def handle(self, *args, report, **options):
        serializer_class, compute = {
            "clearance": (ClearanceParams, _clearance),
            "release": (ReleaseParams, _release),
            "progress": (ProgressParams, _progress),
        }[report]
        names = serializer_class().fields.keys()
        given = {name: options[name] for name in names if options.get(name) is not None}
        params = serializer_class(data=given)
        if not params.is_valid():
            name, messages = next(iter(params.errors.items()))
            option = "include-submitted" if name == "include" else name.replace("_", "-")
            raise CommandError(f"--{option}: {messages[0]}")
        scope = _scope(params.validated_data)
        try:
            with reading(scope):
                result = compute(params.validated_data)
        except (InvalidReportParameter, UnknownUnit, BeforeHistory) as refused:
            raise CommandError(
                f"--{refused.parameter.replace('_', '-')}: {refused.message}"
            ) from None
        self.stdout.write(
            json.dumps(scoped_report_json(result, scope), ensure_ascii=False, indent=2)
        )


def _scope(params) -> ReadingScope:
    if "include" in params:
        return ReadingScope(include_submitted=True)
    if "as_recorded" in params:
        return ReadingScope(as_recorded=end_of_day(params["as_recorded"]))
    return APPROVED


def _clearance(params):
    return clearance_report(
        year=params["year"], by=params["by"], boundary_set=params.get("boundary_set")
    )


def _release(params):
    return release_report(
        as_of=params["as_of"],
        by=params["by"],
        boundary_set=params.get("boundary_set"),
        unit_code=params.get("unit"),
    )


def _progress(params):
    return progress_report(
        from_year=params["from"], to_year=params["to"], boundary_set=params.get("boundary_set")
    )
