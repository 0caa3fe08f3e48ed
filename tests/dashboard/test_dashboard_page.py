"""The dashboard (/dashboard/): its cards and tables show the statistics' own figures (the JSON of
/api/v1/stats/...) in the reader's number convention, for the year and boundary set chosen, in
the reader's scope; who may open it; the landing page and the nav bar."""

import html
import json
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from gis.numbers import ENGLISH, VIETNAMESE, format_number
from tests import factories
from tests.accounting.shapes import HUONG_HOA_LAT, HUONG_HOA_LON, ha, square
from tests.reports.text import docx_text

from .pages import card, table_rows, unit_links

pytestmark = pytest.mark.django_db

LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT
CHA = square(LON, LAT, 0.01)
CLEARED_2022 = square(LON - 0.005, LAT - 0.005, 0.003)
CLEARED_2023 = square(LON + 0.005, LAT + 0.005, 0.004)
CANCELLED_2023 = square(LON - 0.005, LAT + 0.005, 0.002)
# Pending work of two organisations, outside the CHA and apart from everything else.
NPA_SUBMITTED = square(LON + 0.03, LAT, 0.002)
MAG_SUBMITTED = square(LON - 0.03, LAT, 0.0015)
CONVENTIONS = {"vi": VIETNAMESE, "en": ENGLISH}


@pytest.fixture
def work():
    factories.hazard(CHA)
    factories.release(CLEARED_2022, completed_on=date(2022, 5, 1))
    factories.release(CLEARED_2023, completed_on=date(2023, 5, 1))
    factories.release(CANCELLED_2023, method="cancelled", completed_on=date(2023, 6, 1))
    factories.spot_task(LON, LAT, completed_on=date(2022, 3, 1), items_destroyed=5)
    factories.spot_task(LON, LAT, completed_on=date(2023, 3, 1), items_destroyed=3)
    factories.spot_task(LON + 0.001, LAT, completed_on=date(2023, 4, 1), items_destroyed=4)
    factories.target(year=2022, value=80)
    factories.target(year=2023, value=100)
    factories.target(year=2023, value=50, metric="items_destroyed")
    factories.target(year=2023, value=60, district="465")


@pytest.fixture
def pending_work(work):
    factories.release(NPA_SUBMITTED, completed_on=date(2023, 7, 1), org="npa", status="submitted")
    factories.release(MAG_SUBMITTED, completed_on=date(2023, 8, 1), org="mag", status="submitted")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_of(client, query: dict, language: str = "en") -> str:
    response = client.get("/dashboard/", query, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content[:2000]
    return response.content.decode()


def written(value: float, decimals: int, language: str) -> str:
    return format_number(value, decimals=decimals, convention=CONVENTIONS[language])


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_years_cards_show_the_progress_statistics_in_the_readers_convention(
    client, work, language
):
    page = page_of(client, {"year": 2023}, language)
    progress = client.get("/api/v1/stats/progress/", {"from": 2022, "to": 2023}).json()
    before, row = progress["rows"]

    cleared = card(page, cards="year", key="cleared_ha")
    assert cleared["figure"] == f"{written(row['cleared_ha'], 2, language)} ha"
    assert written(row["target_ha"], 2, language) in cleared["target"]
    assert f"{written(row['pct_of_target'], 1, language)}%" in cleared["target"]
    change = written(ha(CLEARED_2023) - ha(CLEARED_2022), 2, language)
    assert cleared["change"].startswith(f"+{change} ha")
    assert "2022" in cleared["change"]
    # The statistics themselves, against the geodesic oracle.
    assert row["cleared_ha"] == pytest.approx(ha(CLEARED_2023), abs=0.01)

    surveyed = card(page, cards="year", key="surveyed_ha")
    assert surveyed["figure"] == f"{written(row['surveyed_ha'], 2, language)} ha"
    assert row["surveyed_ha"] == pytest.approx(ha(CANCELLED_2023), abs=0.01)

    tasks = card(page, cards="year", key="spot_tasks")
    assert tasks["figure"] == "2"
    # No spot-task target for 2023: said, never 0 %.
    assert tasks["target"] == ("no target" if language == "en" else tasks["target"])
    assert "%" not in tasks["target"]
    assert tasks["change"].startswith("+1 ")

    items = card(page, cards="year", key="items_destroyed")
    assert items["figure"] == "7"
    assert f"{written(14.0, 1, language)}%" in items["target"]

    released = client.get("/api/v1/stats/release/", {"as_of": "2023-12-31", "by": "province"})
    total = released.json()["total"]
    assert card(page, cards="year", key="released_pct")["figure"] == (
        f"{written(total['released_pct'], 1, language)}%"
    )
    released_pct = ha(CLEARED_2022.union(CLEARED_2023).union(CANCELLED_2023)) / ha(CHA) * 100
    assert total["released_pct"] == pytest.approx(released_pct, abs=0.05)
    cleared_pct = ha(CLEARED_2022.union(CLEARED_2023)) / ha(CHA) * 100
    assert card(page, cards="year", key="cleared_pct")["figure"] == (
        f"{written(cleared_pct, 1, language)}%"
    )


def test_the_period_cards_add_up_the_period_so_far_against_the_whole_periods_target(client, work):
    page = page_of(client, {"year": 2023})

    cleared = card(page, cards="period", key="cleared_ha")
    # 2021-2023 done; the target is 2021-2025's, which has years without one: none.
    assert cleared["figure"] == f"{written(ha(CLEARED_2022) + ha(CLEARED_2023), 2, 'en')} ha"
    assert cleared["target"] == "no target"
    assert "2021–2025" in page


def test_the_year_chosen_changes_every_figure(client, work):
    page = page_of(client, {"year": 2022})

    assert card(page, cards="year", key="cleared_ha")["figure"] == (
        f"{written(ha(CLEARED_2022), 2, 'en')} ha"
    )
    assert card(page, cards="year", key="spot_tasks")["figure"] == "1"
    assert 'value="2022" selected' in page


def test_the_district_table_has_the_clearance_and_release_statistics_and_links_to_the_maps(
    client, work
):
    page = page_of(client, {"year": 2023})
    clearance = client.get("/api/v1/stats/clearance/", {"year": 2023, "by": "district"}).json()
    release = client.get("/api/v1/stats/release/", {"as_of": "2023-12-31"}).json()
    expected = next(row for row in clearance["rows"] if row["code"] == "465")
    released = next(row for row in release["rows"] if row["code"] == "465")

    rows = table_rows(page, "units")

    assert set(rows) == {row["code"] for row in clearance["rows"]}
    code, _name, cleared, target, pct, tasks, items, released_pct, remaining = rows["465"]
    assert cleared == written(expected["cleared_ha"], 2, "en")
    assert target == "60.00"
    assert pct == f"{written(expected['pct_of_target'], 1, 'en')}%"
    assert (tasks, items) == ("2", "7")
    assert released_pct == f"{written(released['released_pct'], 1, 'en')}%"
    assert remaining == written(released["cha_ha"] - released["released_ha"], 2, "en")
    assert rows["461"][3] == "no target"
    assert "/maps/districts/465/?year=2023" in unit_links(page)


def test_the_2025_communes_replace_the_districts(client, work):
    page = page_of(client, {"year": 2023, "boundary_set": "2025"})
    release = client.get(
        "/api/v1/stats/release/", {"as_of": "2023-12-31", "by": "commune", "boundary_set": "2025"}
    ).json()

    rows = table_rows(page, "units")

    assert set(rows) == {row["code"] for row in release["rows"]}
    links = unit_links(page)
    assert links and all("boundary_set=2025" in link and "year=2023" in link for link in links)
    assert "/maps/coverage/?year=2023&amp;boundary_set=2025" in page


def test_the_organisation_table_has_each_organisations_clearance(client, work):
    page = page_of(client, {"year": 2023})
    clearance = client.get("/api/v1/stats/clearance/", {"year": 2023, "by": "organisation"}).json()

    rows = table_rows(page, "organisations")

    npa = next(row for row in clearance["rows"] if row["code"] == "npa")
    assert rows["npa"][1] == written(npa["cleared_ha"], 2, "en")


def test_each_chart_offers_its_figures_as_csv_and_excel(client, work):
    page = page_of(client, {"year": 2023})

    for link in (
        "/api/v1/stats/progress/?from=",
        "/api/v1/stats/release/?as_of=2023-12-31",
        "/api/v1/stats/clearance/?year=2023",
        "/api/v1/stats/forecast/?as_of=2023-12-31",
    ):
        assert link in page
    assert page.count("format=xlsx") >= 6
    csv = client.get("/api/v1/stats/forecast/?as_of=2023-12-31&by=province&format=csv")
    assert csv.status_code == 200


def test_the_forecast_is_stated_as_a_projection_with_its_method(client, work):
    page = page_of(client, {"year": 2023})

    assert "This is a projection from recorded work" in page
    assert "data-forecast-method" in page
    assert "2021–2023" in page  # the complete years whose pace is counted


def cleared_figure(client, query: dict) -> str:
    return card(page_of(client, {"year": 2023, **query}), cards="year", key="cleared_ha")["figure"]


def test_a_field_coordinator_with_submitted_work_sees_only_their_own_organisations(
    pending_work,
):
    coordinator = signed_in(factories.user("field_coordinator", org="npa"))

    with_pending = cleared_figure(coordinator, {"include": "submitted"})

    assert with_pending == f"{written(ha(CLEARED_2023) + ha(NPA_SUBMITTED), 2, 'en')} ha"
    assert cleared_figure(coordinator, {}) == f"{written(ha(CLEARED_2023), 2, 'en')} ha"
    page = page_of(coordinator, {"year": 2023, "include": "submitted"})
    assert "your organisation" in page


def test_an_analysts_default_view_counts_approved_records_only(client, pending_work):
    assert cleared_figure(client, {}) == f"{written(ha(CLEARED_2023), 2, 'en')} ha"
    everyone = ha(CLEARED_2023) + ha(NPA_SUBMITTED) + ha(MAG_SUBMITTED)
    assert cleared_figure(client, {"include": "submitted"}) == f"{written(everyone, 2, 'en')} ha"
    page = page_of(client, {"year": 2023})
    assert "Approved records only" in page
    assert "include=submitted" in page


def report_links(page: str) -> dict[str, str]:
    """The dashboard's links to the reports, by their text ("page", "PDF", "Word") and report."""
    block = page.split("data-reports>", 1)[1].split("</p>", 1)[0]
    return {
        f"{html.unescape(href).split('?')[0]} {label}": html.unescape(href)
        for href, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', block)
    }


def test_the_reports_of_the_year_and_its_plan_period_are_linked_with_the_same_records(
    pending_work,
):
    coordinator = signed_in(factories.user("field_coordinator", org="npa"))
    page = page_of(coordinator, {"year": 2023, "include": "submitted"})
    links = report_links(page)

    assert set(links) == {
        f"/reports/{kind} {label}"
        for kind in ("annual/2023/", "period/2021-2025/")
        for label in ("page", "PDF", "Word")
    }
    word = coordinator.get(links["/reports/annual/2023/ Word"], HTTP_ACCEPT_LANGUAGE="en")
    assert word.status_code == 200
    text = docx_text(word.content)
    # The report counts what the dashboard counted: the NPA's pending work, not the MAG's.
    assert written(ha(CLEARED_2023) + ha(NPA_SUBMITTED), 2, "en") in text
    assert written(ha(CLEARED_2023) + ha(NPA_SUBMITTED) + ha(MAG_SUBMITTED), 2, "en") not in text


def test_a_planner_reads_approved_figures_and_is_refused_submitted_work(work):
    planner = signed_in(factories.user("planner"))

    assert planner.get("/dashboard/", {"year": 2023}).status_code == 200
    refused = planner.get("/dashboard/", {"year": 2023, "include": "submitted"})

    assert refused.status_code == 403
    assert "include=submitted is for analysts and field coordinators" in refused.content.decode()


def test_an_aggregates_only_user_sees_the_figures_without_links_to_the_district_maps(work):
    reader = signed_in(factories.user("planner", aggregates_only=True))

    page = page_of(reader, {"year": 2023})

    assert table_rows(page, "units")["465"]
    assert unit_links(page) == []


def test_a_user_without_a_role_that_reads_data_is_refused_as_on_the_maps():
    nobody = signed_in(get_user_model().objects.create_user("nobody", password="x-y-z-1234"))

    response = nobody.get("/dashboard/")
    on_the_map = nobody.get("/maps/coverage/")

    assert response.status_code == on_the_map.status_code == 403
    assert "Your account has no role that may read data." in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in(anonymous_client):
    response = anonymous_client.get("/dashboard/?year=2023")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/dashboard/")


def test_a_bad_year_is_a_400_naming_it(client):
    response = client.get("/dashboard/", {"year": "twenty"})

    assert response.status_code == 400
    assert "year must be a year between" in response.content.decode()


def test_signed_in_users_land_on_the_dashboard_and_anonymous_visitors_where_they_did(
    client, anonymous_client
):
    assert client.get("/")["Location"] == "/dashboard/"
    # The sign-in, after which they land on the dashboard.
    assert anonymous_client.get("/")["Location"] == "/accounts/login/?next=/"


def test_the_nav_bar_names_the_dashboard_first_and_the_map_is_one_click_away(client, work):
    page = page_of(client, {"year": 2023})

    nav = page.split('<ul class="navbar-nav', 1)[1].split("</ul>", 1)[0]
    assert nav.index("/dashboard/") < nav.index("/maps/coverage/")
    assert 'href="/maps/coverage/?year=2023&amp;boundary_set=2019"' in page


def test_the_page_has_no_inline_script_and_a_strict_policy(client, work):
    response = client.get("/dashboard/", {"year": 2023})
    policy = response["Content-Security-Policy"]

    assert "unsafe-inline" not in policy
    assert 'id="dashboard-charts" type="application/json"' in response.content.decode()


def test_the_figures_kept_between_requests_give_way_to_a_write(client, pending_work):
    query = {"include": "submitted"}
    first = cleared_figure(client, query)
    assert cleared_figure(client, query) == first

    more = square(LON, LAT - 0.03, 0.002)
    factories.release(more, completed_on=date(2023, 9, 1), org="mag", status="submitted")

    everyone = ha(CLEARED_2023) + ha(NPA_SUBMITTED) + ha(MAG_SUBMITTED) + ha(more)
    assert cleared_figure(client, query) == f"{written(everyone, 2, 'en')} ha"


def test_the_figures_are_kept_apart_per_language(client, work):
    english = page_of(client, {"year": 2023}, "en")
    vietnamese = page_of(client, {"year": 2023}, "vi")

    assert card(english, cards="year", key="cleared_ha")["figure"] == (
        f"{written(ha(CLEARED_2023), 2, 'en')} ha"
    )
    assert card(vietnamese, cards="year", key="cleared_ha")["figure"] == (
        f"{written(ha(CLEARED_2023), 2, 'vi')} ha"
    )
    assert "Hướng Hóa" in vietnamese


def test_the_first_year_a_report_covers_has_no_change_to_show(client, work):
    page = page_of(client, {"year": 1975})

    cleared = card(page, cards="year", key="cleared_ha")
    assert cleared["figure"] == "0.00 ha"
    assert cleared["change"] is None


def test_past_the_users_requests_a_minute_the_dashboard_says_when_to_try_again(client, settings):
    settings.RATE_LIMIT_USER_PER_MINUTE = 1
    settings.RATE_LIMIT_ADDRESS_PER_MINUTE = 0

    assert client.get("/dashboard/", {"year": 2023}).status_code == 200
    refused = client.get("/dashboard/", {"year": 2023})

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1


def chart_data_of(page: str) -> dict:
    start = page.index('<script id="dashboard-charts" type="application/json">')
    text = page[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(text)


@pytest.mark.parametrize(("language", "separators"), [("vi", (",", ".")), ("en", (".", ","))])
def test_the_charts_draw_the_statistics_figures_with_the_readers_separators(
    client, work, language, separators
):
    charts = chart_data_of(page_of(client, {"year": 2023}, language))
    progress = client.get(
        "/api/v1/stats/progress/", {"from": charts["cleared"]["years"][0], "to": 2023}
    ).json()
    forecast = client.get(
        "/api/v1/stats/forecast/", {"as_of": "2023-12-31", "by": "province"}
    ).json()

    assert (charts["numbers"]["decimal"], charts["numbers"]["group"]) == separators
    assert charts["cleared"]["years"] == [row["year"] for row in progress["rows"]]
    assert charts["cleared"]["series"]["cleared_ha"] == [r["cleared_ha"] for r in progress["rows"]]
    assert charts["cleared"]["series"]["target_ha"] == [r["target_ha"] for r in progress["rows"]]
    assert charts["released"]["series"]["released_pct"] == [
        r["released_pct"] for r in progress["rows"]
    ]
    assert charts["work"]["series"]["items_destroyed"] == [
        r["items_destroyed"] for r in progress["rows"]
    ]
    total = forecast["total"]
    series = charts["forecast"]["series"]
    recorded = [value for value in series["recorded_ha"] if value is not None]
    assert recorded[-1] == total["remaining_ha"]
    mean = [value for value in series["mean_ha"] if value is not None]
    # The projection starts at the remaining CHA and reaches 0 in the forecast's year.
    assert mean[0] == total["remaining_ha"]
    years = charts["forecast"]["years"]
    assert years[series["mean_ha"].index(0.0)] == total["year_at_mean_pace"]


def test_the_unit_chart_draws_the_units_with_cha_and_says_how_many_it_leaves_out(client, work):
    page = page_of(client, {"year": 2023})
    charts = chart_data_of(page)
    release = client.get("/api/v1/stats/release/", {"as_of": "2023-12-31", "by": "district"}).json()
    with_cha = [row for row in release["rows"] if row["cha_ha"] > 0]

    assert charts["units_chart"]["names"] == [row["name"] for row in with_cha] == ["Huong Hoa"]
    assert charts["units_chart"]["series"]["released_ha"] == [with_cha[0]["released_ha"]]
    without = len(release["rows"]) - len(with_cha)
    assert f"{without} units without CHA are not drawn; the table lists them." in page
    assert len(table_rows(page, "units")) == len(release["rows"])


def test_without_a_pace_the_forecast_says_why_in_words(client):
    factories.hazard(CHA)

    page = page_of(client, {"year": 2023})

    assert "No projection: no CHA was released in the years counted." in page
