"""The statistics' JSON as the OpenAPI schema states it (documentation only: report_json writes
the JSON). Field for field the reports' dataclasses (app.accounting.selectors), rounded as
report_json rounds them; tests/api/test_openapi_conformance.py holds the two together."""

from rest_framework import serializers

from app.accounting.selectors.forecast import REASONS


def _hectares(help_text: str = "", **options) -> serializers.FloatField:
    return serializers.FloatField(
        help_text=f"{help_text} Geodesic hectares, 2 decimals.".lstrip(), **options
    )


def _percent() -> serializers.FloatField:
    return serializers.FloatField(allow_null=True, help_text="1 decimal; null: no denominator.")


class ReportScopeSerializer(serializers.Serializer):
    records = serializers.ChoiceField(choices=["approved", "approved and submitted"])
    includes_submitted = serializers.BooleanField()
    submitted_by = serializers.ListField(
        child=serializers.CharField(),
        allow_null=True,
        required=False,
        help_text="Organisation slugs whose pending work is counted; null: every one's.",
    )
    label = serializers.CharField(required=False)
    as_recorded = serializers.DateTimeField(required=False)


class ReleaseRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    cha_ha = _hectares()
    released_ha = _hectares()
    cleared_ha = _hectares()
    reduced_ha = _hectares()
    cancelled_ha = _hectares()
    released_pct = _percent()


class ReleaseTotalSerializer(ReleaseRowSerializer):
    sha_ha = _hectares()
    cleared_outside_cha_ha = _hectares()


class ReleaseReportSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    by = serializers.CharField()
    boundary_set = serializers.CharField()
    denominator = serializers.CharField()
    rows = ReleaseRowSerializer(many=True)
    total = ReleaseTotalSerializer()
    scope = ReportScopeSerializer()


class ClearanceRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    cleared_ha = _hectares()
    target_ha = _hectares(allow_null=True)
    pct_of_target = _percent()
    spot_tasks = serializers.IntegerField()
    items_destroyed = serializers.IntegerField()


class ClearanceReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    by = serializers.CharField()
    boundary_set = serializers.CharField()
    rows = ClearanceRowSerializer(many=True)
    total = ClearanceRowSerializer()
    scope = ReportScopeSerializer()


class ProgressTotalSerializer(serializers.Serializer):
    cleared_ha = _hectares()
    target_ha = _hectares(allow_null=True)
    pct_of_target = _percent()
    surveyed_ha = _hectares(
        "Union of the releases cancelled or reduced (survey) completed in the year, clipped to "
        "the province."
    )
    surveyed_target_ha = _hectares(allow_null=True)
    pct_of_surveyed_target = _percent()
    newly_released_ha = _hectares()
    released_ha = _hectares()
    released_pct = _percent()
    spot_tasks = serializers.IntegerField()
    items_destroyed = serializers.IntegerField()
    villages_surveyed = serializers.IntegerField()
    villages_surveyed_pct = _percent()


class ProgressRowSerializer(ProgressTotalSerializer):
    year = serializers.IntegerField()
    spot_tasks_target = serializers.FloatField(allow_null=True)
    items_destroyed_target = serializers.FloatField(allow_null=True)


class ProgressReportSerializer(serializers.Serializer):
    to = serializers.IntegerField()
    boundary_set = serializers.CharField()
    cha_ha = _hectares()
    villages = serializers.IntegerField()
    rows = ProgressRowSerializer(many=True)
    total = ProgressTotalSerializer()
    scope = ReportScopeSerializer()

    def get_fields(self):
        # "from" is a Python keyword, so it cannot be declared above.
        return {"from": serializers.IntegerField(), **super().get_fields()}


class ForecastYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    newly_released_ha = _hectares()


def _projected_year(pace: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        allow_null=True,
        help_text=f"Year the remaining CHA would be released at the {pace} pace; null: see "
        "reason, or (low pace only) a counted year released nothing.",
    )


class ForecastRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    cha_ha = _hectares()
    released_ha = _hectares()
    remaining_ha = _hectares()
    released_by_year = ForecastYearSerializer(many=True)
    pace_mean_ha = _hectares(help_text="Hectares of CHA newly released per year, mean.")
    pace_low_ha = _hectares(help_text="Hectares per year, the slowest counted year.")
    pace_high_ha = _hectares(help_text="Hectares per year, the fastest counted year.")
    year_at_mean_pace = _projected_year("mean")
    year_at_low_pace = _projected_year("low")
    year_at_high_pace = _projected_year("high")
    reason = serializers.ChoiceField(
        choices=list(REASONS),
        allow_null=True,
        help_text="Why the projected years are null; null when they could be computed.",
    )


class ForecastReportSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    by = serializers.CharField()
    boundary_set = serializers.CharField()
    years = serializers.ListField(
        child=serializers.IntegerField(), help_text="The complete years the pace counts."
    )
    method = serializers.CharField(help_text="The method in plain words.")
    denominator = serializers.CharField()
    rows = ForecastRowSerializer(many=True)
    total = ForecastRowSerializer()
    scope = ReportScopeSerializer()
