"""manage.py report annual|period: the report the site serves at /reports/, written to a file.

    manage.py report annual --year 2023 --lang vi --format pdf --out report.pdf
    manage.py report period --from 2021 --to 2025 --lang en --format docx --out report.docx

Read as an analyst reads the statistics: approved records by default (every organisation's),
``--include-submitted`` adds every organisation's submitted work, ``--as-recorded YYYY-MM-DD``
reads the registry as it stood at the end of that day, to reproduce a report as published.
Arguments go through the pages' checks (app.reports.params), so a wrong one is refused with the
same words; nothing is written then.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from app.accounting.exceptions import InvalidReportParameter
from app.accounting.management.arguments import add_scope_arguments
from app.accounts.language import command_language
from app.registry.scopes import APPROVED, BeforeHistory, ReadingScope, end_of_day
from app.reports import params
from app.reports.generation import build_report, report_file


class Command(BaseCommand):
    help = "Write the annual or period land-release report (HTML, PDF or Word) to a file."

    def add_arguments(self, parser):
        reports = parser.add_subparsers(dest="report", required=True, metavar="REPORT")
        annual = reports.add_parser("annual", help="The report of one year.")
        annual.add_argument("--year", required=True)
        period = reports.add_parser("period", help="The report of a period of years.")
        period.add_argument("--from", dest="from_year", required=True)
        period.add_argument("--to", dest="to_year", required=True)
        for report in (annual, period):
            report.add_argument("--lang", help="vi or en (default: LANGUAGE, else Vietnamese).")
            report.add_argument("--format", default="pdf", help="pdf (default), docx or html.")
            report.add_argument("--out", required=True, help="The file to write.")
            add_scope_arguments(report)

    def handle(self, *args, report, **options):
        query = {
            name: options[name]
            for name in ("lang", "format", "include", "as_recorded")
            if options.get(name) is not None
        }
        try:
            if report == "annual":
                years = params.annual_years(options["year"])
            else:
                years = params.period_years(f"{options['from_year']}-{options['to_year']}")
            asked = params.report_request(years=years, query=query)
        except params.BadReportParameter as refused:
            raise CommandError(refused.message) from None
        try:
            document = build_report(
                from_year=asked.from_year,
                to_year=asked.to_year,
                scope=_scope(asked),
                language=asked.language or command_language(),
            )
        except (InvalidReportParameter, BeforeHistory) as refused:
            raise CommandError(
                f"--{refused.parameter.replace('_', '-')}: {refused.message}"
            ) from None
        printed = report_file(document, file_format=asked.file_format)
        out = Path(options["out"])
        out.write_bytes(printed.content)
        self.stdout.write(f"{out} ({len(printed.content)} bytes, {document.title})")


def _scope(asked: params.ReportRequest) -> ReadingScope:
    if asked.include_submitted:
        return ReadingScope(include_submitted=True)
    if asked.as_recorded is not None:
        return ReadingScope(as_recorded=end_of_day(asked.as_recorded))
    return APPROVED
