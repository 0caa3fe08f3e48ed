"""Who may read the report (whoever may read the statistics, aggregates-only planners too), and
the site's 400 page, naming the parameter, for every wrong request: never a 500."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from app.accounts import rate_limits
from tests.factories import signed_in

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_is_sent_to_sign_in(anonymous_client, settings):
    settings.PUBLIC_SUMMARY = True

    response = anonymous_client.get("/reports/annual/2023/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_account_without_a_role_is_refused_with_a_page_saying_why():
    no_role = Client()
    no_role.force_login(get_user_model().objects.create_user("no-role", password="x-y-z-1234"))

    response = no_role.get("/reports/annual/2023/")

    assert response.status_code == 403
    assert "no role that may read data" in response.content.decode()


def test_an_aggregates_only_planner_may_read_it(recorded_work):
    planner = signed_in("planner", aggregates_only=True)

    response = planner.get("/reports/annual/2023/", {"format": "docx"})

    assert response.status_code == 200


def test_include_submitted_is_refused_to_a_planner():
    planner = signed_in("planner")

    response = planner.get("/reports/annual/2023/", {"include": "submitted"})

    assert response.status_code == 403
    assert "include=submitted" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "query", "named"),
    [
        ("/reports/annual/20x3/", {}, "year must be a year"),
        ("/reports/annual/1900/", {}, "year must be a year from 1975"),
        ("/reports/period/2025-2021/", {}, "the period starts after it ends"),
        ("/reports/period/2021/", {}, "FROM-TO"),
        ("/reports/period/2021-20x5/", {}, "to must be a year"),
        ("/reports/period/2001-2025/", {}, "at most 10 years"),
        ("/reports/annual/2023/", {"lang": "fr"}, "lang: &#x27;fr&#x27; is not one of vi, en"),
        ("/reports/annual/2023/", {"format": "xls"}, "format: &#x27;xls&#x27; is not one of"),
        ("/reports/annual/2023/", {"year": "2023"}, "unknown parameter"),
        ("/reports/annual/2023/", {"as_recorded": "31/12/2023"}, "as_recorded:"),
        ("/reports/annual/2023/", {"as_recorded": "2999-01-01"}, "has not come yet"),
        ("/reports/annual/2023/", {"as_recorded": "1990-01-01"}, "the history begins on"),
        (
            "/reports/annual/2023/",
            {"include": "submitted", "as_recorded": "2023-12-31"},
            "drop include=submitted",
        ),
    ],
)
def test_a_wrong_request_gets_the_sites_400_page_naming_what_to_fix(client, path, query, named):
    response = client.get(path, query)

    assert response.status_code == 400
    assert "400.html" in [template.name for template in response.templates]
    assert named in response.content.decode()


def test_reports_count_against_the_expensive_pages_rate_limit(client, settings, monkeypatch):
    settings.RATE_LIMIT_USER_PER_MINUTE = 1
    # The counters' clock stopped mid-minute, so both requests fall in one window.
    monkeypatch.setattr(rate_limits, "now", lambda: datetime(2026, 12, 5, 1, 0, 20, tzinfo=UTC))

    first = client.get("/reports/annual/20x3/")
    second = client.get("/reports/annual/20x3/")

    assert first.status_code == 400
    assert second.status_code == 429
    assert "Retry-After" in second


def test_only_get_is_answered(client):
    assert client.post("/reports/annual/2023/").status_code == 405


def test_a_year_without_records_gives_a_report_of_zeros_and_reasons(client):
    text = client.get("/reports/annual/2023/").content.decode()

    assert "<td>0.00</td>" in text
    assert "No year can be projected for the province: no CHA." in text
