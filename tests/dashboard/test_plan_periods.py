"""The five-year plan periods the dashboard measures a year against (app.dashboard.plan_periods)."""

import pytest

from app.dashboard.plan_periods import PlanPeriod, periods_covering, plan_period_of


@pytest.mark.parametrize(
    ("year", "period"),
    [
        (2016, (2016, 2020)),
        (2020, (2016, 2020)),
        (2021, (2021, 2025)),
        (2023, (2021, 2025)),
        (2026, (2026, 2030)),
        (2015, (2011, 2015)),
    ],
)
def test_a_year_belongs_to_the_five_year_plan_holding_it(year, period):
    assert plan_period_of(year) == PlanPeriod(*period)


def test_the_periods_the_targets_cover_are_listed_once_in_order():
    assert periods_covering([2024, 2017, 2016, 2031]) == (
        PlanPeriod(2016, 2020),
        PlanPeriod(2021, 2025),
        PlanPeriod(2031, 2035),
    )
    assert str(PlanPeriod(2021, 2025)) == "2021–2025"
