"""What a report is asked for, checked at the boundary: the years from the path, and from the
query the language, the file format and which records count (``include=submitted`` and
``as_recorded``, exactly as the statistics endpoints take them: app.accounting.params).

A wrong value is a ``BadReportParameter`` whose message names the parameter and what it accepts;
the pages answer it with the site's 400 page, ``manage.py report`` with a CommandError.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from app.accounting.params import StatsParams
from app.accounting.selectors.periods import FIRST_YEAR, LAST_YEAR
from app.api.params import choice_field

FORMATS = ("html", "pdf", "docx")
# Each year of a report reads a clearance report twice; a span longer than two five-year plans
# is a typo or a load test, and would hold a server process for minutes.
MAX_PERIOD_YEARS = 10


class BadReportParameter(ValueError):
    def __init__(self, *, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class ReportRequest:
    from_year: int
    to_year: int
    language: str | None
    file_format: str
    include_submitted: bool
    as_recorded: date | None


class ReportParams(StatsParams):
    lang = choice_field(
        [(code, code) for code, _name in settings.LANGUAGES],
        help_text="The report's language (default: the reader's).",
    )
    format = choice_field(
        [(name, name) for name in FORMATS], help_text="html (printable, the default), pdf or docx."
    )


def annual_years(raw_year: str) -> tuple[int, int]:
    """``/reports/annual/<year>/``: the year, twice."""
    year = _year(raw_year, parameter="year")
    return year, year


def period_years(raw_span: str) -> tuple[int, int]:
    """``/reports/period/<from>-<to>/``: the first and the last year (inclusive)."""
    first, dash, last = raw_span.partition("-")
    if not dash:
        raise BadReportParameter(
            parameter="period",
            message=_("a period is written FROM-TO, e.g. 2021-2025, not %(given)r")
            % {"given": raw_span},
        )
    from_year = _year(first, parameter="from")
    to_year = _year(last, parameter="to")
    if from_year > to_year:
        raise BadReportParameter(
            parameter="period",
            message=_(
                "the period starts after it ends (%(from)s-%(to)s); write the earlier year first"
            )
            % {"from": from_year, "to": to_year},
        )
    if to_year - from_year + 1 > MAX_PERIOD_YEARS:
        raise BadReportParameter(
            parameter="period",
            message=_("a report covers at most %(years)s years, not %(from)s-%(to)s")
            % {"years": MAX_PERIOD_YEARS, "from": from_year, "to": to_year},
        )
    return from_year, to_year


def report_request(*, years: tuple[int, int], query) -> ReportRequest:
    """The whole request, from the path's years and the query (a QueryDict or a dict)."""
    params = ReportParams(data=query)
    if not params.is_valid():
        name, messages = next(iter(params.errors.items()))
        message = messages[0] if isinstance(messages, list) else str(messages)
        raise BadReportParameter(parameter=name, message=f"{name}: {message}")
    data = params.validated_data
    return ReportRequest(
        from_year=years[0],
        to_year=years[1],
        language=data.get("lang"),
        file_format=data.get("format", "html"),
        include_submitted="include" in data,
        as_recorded=data.get("as_recorded"),
    )


def _year(raw: str, *, parameter: str) -> int:
    raw = raw.strip()
    if not raw.isdigit() or not FIRST_YEAR <= int(raw) <= LAST_YEAR:
        raise BadReportParameter(
            parameter=parameter,
            message=_("%(parameter)s must be a year from %(first)s to %(last)s, not %(given)r")
            % {"parameter": parameter, "first": FIRST_YEAR, "last": LAST_YEAR, "given": raw},
        )
    return int(raw)
