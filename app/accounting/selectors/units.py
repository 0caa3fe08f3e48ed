"""Which admin units a report is grouped by, and the checks on that choice."""

from django.utils.translation import gettext

from app.accounting.exceptions import InvalidReportParameter, UnknownUnit
from app.registry.models import AdminUnit, BoundarySet, Level

# Districts exist only in the 2019 set (abolished on 1 July 2025); communes are reported in the
# 2025 set because the pre-2025 communes are not in data/boundaries. Province-wide figures default
# to the former province (2019): the provincial plans and the 2016-2025 series refer to it, and
# its outline is exactly the union of its districts. The 2025 outline comes from another source
# and leaves about 4,750 ha of the former province outside (measured with ST_Difference, almost
# all along the Lao border in Đa Krông), so clipping to it would silently drop records there.
DEFAULT_BOUNDARY_SET = {
    Level.DISTRICT: BoundarySet.LEGACY_2019,
    Level.COMMUNE: BoundarySet.REFORM_2025,
    Level.PROVINCE: BoundarySet.LEGACY_2019,
}
UNIT_LEVELS = (Level.DISTRICT, Level.COMMUNE, Level.PROVINCE)


def report_boundary_set(*, by: str, boundary_set: str | None) -> str:
    """The boundary set a report by admin unit uses, checked to hold units at level ``by``.

    Raises InvalidReportParameter naming ``by`` or ``boundary_set`` when the pair has no units.
    """
    if by not in UNIT_LEVELS:
        raise InvalidReportParameter(
            parameter="by",
            message=gettext("by must be one of %(values)s, not %(given)r")
            % {"values": ", ".join(UNIT_LEVELS), "given": by},
        )
    chosen = boundary_set or DEFAULT_BOUNDARY_SET[by]
    if chosen not in BoundarySet.values:
        raise InvalidReportParameter(
            parameter="boundary_set",
            message=gettext("boundary_set must be one of %(values)s, not %(given)r")
            % {"values": ", ".join(BoundarySet.values), "given": chosen},
        )
    if not AdminUnit.objects.in_set(chosen).at_level(by).exists():
        raise InvalidReportParameter(
            parameter="boundary_set",
            message=gettext(
                "boundary set %(boundary_set)s has no %(level)s units "
                "(districts exist only in 2019)"
            )
            % {"boundary_set": chosen, "level": by},
        )
    return chosen


def check_unit_code(*, unit_code: str | None, by: str, boundary_set: str) -> None:
    """Raise UnknownUnit when ``unit_code`` names no unit of level ``by`` in the set."""
    if unit_code is None:
        return
    if not AdminUnit.objects.in_set(boundary_set).at_level(by).filter(code=unit_code).exists():
        raise UnknownUnit(code=unit_code, boundary_set=boundary_set, level=by)


def province_boundary_set(boundary_set: str | None) -> str:
    """The set whose province outline clips a province-wide figure (default: the former
    province, 2019; see DEFAULT_BOUNDARY_SET for why)."""
    chosen = boundary_set or DEFAULT_BOUNDARY_SET[Level.PROVINCE]
    if chosen not in BoundarySet.values:
        raise InvalidReportParameter(
            parameter="boundary_set",
            message=gettext("boundary_set must be one of %(values)s, not %(given)r")
            % {"values": ", ".join(BoundarySet.values), "given": chosen},
        )
    return chosen
