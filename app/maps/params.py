"""The maps' query parameters (pages and tiles), checked at the boundary: a wrong value is a 400
that names the parameter and what it accepts."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from app.maps.selectors import FIRST_YEAR, LAST_YEAR
from app.registry.models import BoundarySet

INCLUDE_SUBMITTED = "submitted"


class BadParameter(ValueError):
    pass


def year(request: HttpRequest) -> int | None:
    """The year asked for; None when absent (the last year with data, read in the scope)."""
    raw = request.GET.get("year", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not FIRST_YEAR <= int(raw) <= LAST_YEAR:
        raise BadParameter(
            _("year must be a year between %(first)s and %(last)s (e.g. year=2023), not %(given)r")
            % {"first": FIRST_YEAR, "last": LAST_YEAR, "given": raw}
        )
    return int(raw)


def boundary_set(request: HttpRequest, default: str | None) -> str | None:
    raw = request.GET.get("boundary_set", "").strip()
    if not raw:
        return default
    if raw not in BoundarySet.values:
        raise BadParameter(
            _("boundary_set must be one of %(values)s, not %(given)r")
            % {"values": " or ".join(BoundarySet.values), "given": raw}
        )
    return raw


def include_submitted(request: HttpRequest) -> bool:
    raw = request.GET.get("include", "").strip()
    if not raw:
        return False
    if raw != INCLUDE_SUBMITTED:
        raise BadParameter(
            _("include must be %(allowed)s (or absent: approved records only), not %(given)r")
            % {"allowed": INCLUDE_SUBMITTED, "given": raw}
        )
    return True
