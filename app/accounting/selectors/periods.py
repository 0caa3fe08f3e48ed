"""Calendar years a report may cover."""

from datetime import date

from django.utils.translation import gettext

from app.accounting.exceptions import InvalidReportParameter

# Matches AnnualTarget's plausible years; outside it a report can only be empty or a typo.
FIRST_YEAR, LAST_YEAR = 1975, 2100


def check_year(year: int, *, parameter: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidReportParameter(
            parameter=parameter,
            message=gettext("%(parameter)s must be a year from %(first)s to %(last)s, not %(year)s")
            % {"parameter": parameter, "first": FIRST_YEAR, "last": LAST_YEAR, "year": year},
        )


def year_bounds(year: int) -> tuple[date, date]:
    """First and last day of a calendar year, the span a yearly figure counts completions in."""
    return date(year, 1, 1), date(year, 12, 31)
