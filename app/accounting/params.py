"""Query parameters of the stats endpoints, validated at the boundary.

A parameter an endpoint does not take is refused (400) rather than ignored, so a typo such as
``?asof=`` cannot silently give a report for another date.
"""

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from app.accounting.selectors.clearance import CLEARANCE_GROUPINGS
from app.accounting.selectors.forecast import DEFAULT_YEARS, MAX_YEARS
from app.accounting.selectors.periods import FIRST_YEAR, LAST_YEAR
from app.accounting.selectors.units import UNIT_LEVELS
from app.api.params import choice_field
from app.registry.models import BoundarySet

# DRF's own renderer switch (?format=json), never a report parameter.
FRAMEWORK_PARAMETERS = frozenset({"format"})


def _choice(choices, *, default: str, help_text: str) -> serializers.ChoiceField:
    values = ", ".join(choices)
    return serializers.ChoiceField(
        choices=list(choices),
        default=default,
        help_text=help_text,
        # DRF fills {input}; the values are filled here, in the language of the request.
        error_messages={
            "invalid_choice": format_lazy(_("'{{input}}' is not one of {values}"), values=values)
        },
    )


def _year(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, help_text=help_text)


def _boundary_set(help_text: str) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=BoundarySet.values,
        required=False,
        help_text=help_text,
        error_messages={
            "invalid_choice": format_lazy(
                _("'{{input}}' is not one of {values}"), values=", ".join(BoundarySet.values)
            )
        },
    )


class StatsParams(serializers.Serializer):
    """The parameters every stats endpoint shares: which records the report counts."""

    # The lists' include=submitted (app.api.params), with the reports' wording.
    include = choice_field(
        [("submitted", "submitted")],
        help_text=(
            "submitted: count work submitted for review but not yet approved too (an analyst: "
            "everyone's; a field coordinator: their organisation's; 403 for other roles). "
            "Default: approved records only."
        ),
    )
    as_recorded = serializers.DateField(
        required=False,
        input_formats=["iso-8601"],
        help_text=(
            "YYYY-MM-DD: the figures as the database stood at the end of that day (the records "
            "approved then), to reproduce a published report. Not with include."
        ),
    )

    def get_fields(self):
        # The report's own parameters first (in the schema and in error messages), then these.
        fields = super().get_fields()
        shared = ("include", "as_recorded")
        return {
            **{name: field for name, field in fields.items() if name not in shared},
            **{name: fields[name] for name in shared},
        }

    def validate(self, attrs):
        unknown = set(self.initial_data) - set(self.fields) - FRAMEWORK_PARAMETERS
        if unknown:
            name = sorted(unknown)[0]
            raise serializers.ValidationError(
                {
                    name: gettext("unknown parameter; this endpoint takes %(accepted)s")
                    % {"accepted": ", ".join(self.fields)}
                }
            )
        recorded = attrs.get("as_recorded")
        if recorded is not None and recorded > timezone.localdate():
            raise serializers.ValidationError(
                {
                    "as_recorded": gettext(
                        "%(day)s has not come yet; the registry can be read as it stood on "
                        "today or an earlier day"
                    )
                    % {"day": recorded.isoformat()}
                }
            )
        if "include" in attrs and "as_recorded" in attrs:
            raise serializers.ValidationError(
                {
                    "as_recorded": gettext(
                        "a past registry holds approved records only; drop include=submitted"
                    )
                }
            )
        return attrs


class ReleaseParams(StatsParams):
    as_of = serializers.DateField(
        input_formats=["iso-8601"], help_text="Count releases completed on or before this day."
    )
    by = _choice(UNIT_LEVELS, default="district", help_text="Group rows by this admin level.")
    boundary_set = _boundary_set("Boundary set (default 2025 for communes, 2019 otherwise).")
    unit = serializers.CharField(
        required=False, max_length=16, help_text="Only the unit with this code (404 if none)."
    )


class ForecastParams(StatsParams):
    as_of = serializers.DateField(
        input_formats=["iso-8601"],
        help_text="Remaining CHA as of this day; the pace counts the complete years before it.",
    )
    by = _choice(UNIT_LEVELS, default="district", help_text="Group rows by this admin level.")
    years = serializers.IntegerField(
        min_value=1,
        max_value=MAX_YEARS,
        default=DEFAULT_YEARS,
        help_text="How many complete years the pace counts.",
    )
    boundary_set = _boundary_set("Boundary set (default 2025 for communes, 2019 otherwise).")


class ClearanceParams(StatsParams):
    year = _year("Calendar year of completion.")
    by = _choice(CLEARANCE_GROUPINGS, default="district", help_text="Group rows by this.")
    boundary_set = _boundary_set("Boundary set (default 2025 for communes, 2019 otherwise).")


class ProgressParams(StatsParams):
    # "from" is a Python keyword, so the fields are declared here rather than as attributes.
    def get_fields(self):
        return {
            "from": _year("First year of the table."),
            "to": _year("Last year of the table (inclusive)."),
            "boundary_set": _boundary_set(
                "Province outline to clip to (default 2019, the former province)."
            ),
            **super().get_fields(),
        }
