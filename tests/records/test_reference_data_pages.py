"""Reference data on the web: an analyst adds a target on the targets' list and an organisation
on the organisations' page, through the services the API uses (one recorded transaction each);
a refusal is shown beside the values typed, and nobody else sees or may post the forms."""

from decimal import Decimal

import pytest
from django.test import Client

from app.registry.models import AnnualTarget, Organisation, RecordVersion
from tests import factories

pytestmark = pytest.mark.django_db


def signed_in(user, **options) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


def test_an_analyst_creates_a_target_from_the_targets_list_and_its_history_names_them(
    client, analyst
):
    factories.organisation("npa")

    response = client.post(
        "/records/targets/new/",
        {
            "year": "2026",
            "metric": "cleared_ha",
            "value": "450.5",
            "admin_unit": "464",
            "organisation": "npa",
            "reason": "plan of 2026",
        },
        follow=True,
    )

    target = AnnualTarget.objects.get(year=2026)
    assert (target.value, target.admin_unit.code, target.organisation.slug) == (
        Decimal("450.5"),
        "464",
        "npa",
    )
    assert response.redirect_chain[-1][0] == "/records/targets/"
    assert f"Target {target.pk} created" in response.content.decode()
    version = RecordVersion.objects.of("registry_annualtarget", target.pk).get()
    assert (version.action, version.changed_by, version.reason) == (
        "created",
        analyst,
        "plan of 2026",
    )


def test_a_target_for_the_whole_province_and_every_organisation_leaves_both_empty(client):
    client.post("/records/targets/new/", {"year": "2027", "metric": "spot_tasks", "value": "40"})

    target = AnnualTarget.objects.get(year=2027)
    assert target.admin_unit is None and target.organisation is None


@pytest.mark.parametrize(
    "values, parameter, words",
    [
        ({"year": "2026", "metric": "cleared_ha", "value": ""}, "value", "this field is required"),
        ({"year": "1900", "metric": "cleared_ha", "value": "5"}, "year", "1975"),
        (
            {"year": "2026", "metric": "cleared_ha", "value": "5", "admin_unit": "999"},
            "admin_unit",
            "no admin unit with code 999",
        ),
    ],
)
def test_a_refused_target_is_shown_on_the_page_with_the_values_typed(
    client, values, parameter, words
):
    response = client.post("/records/targets/new/", values)
    page = response.content.decode()

    assert response.status_code == 400
    assert f"<strong>{parameter}</strong>: " in page and words in page
    assert f'value="{values["year"]}"' in page
    assert not AnnualTarget.objects.filter(year=int(values["year"])).exists()


def test_a_second_target_for_the_same_year_metric_and_unit_is_refused_readably(client):
    factories.target(year=2026, value=10)

    response = client.post(
        "/records/targets/new/", {"year": "2026", "metric": "cleared_ha", "value": "20"}
    )

    assert response.status_code == 400
    assert "exists already" in response.content.decode()
    assert AnnualTarget.objects.filter(year=2026).count() == 1


def test_an_analyst_creates_an_organisation_and_a_taken_slug_is_refused(client):
    created = client.post(
        "/records/organisations/new/",
        {"slug": "golden-west", "name": "Golden West Humanitarian Foundation", "kind": "ngo"},
        follow=True,
    )
    assert Organisation.objects.get(slug="golden-west").name.startswith("Golden West")
    assert "Organisation golden-west (Golden West Humanitarian Foundation) created" in (
        created.content.decode()
    )

    again = client.post(
        "/records/organisations/new/", {"slug": "golden-west", "name": "Other", "kind": "ngo"}
    )
    assert again.status_code == 400
    assert "another organisation has this slug" in again.content.decode()
    assert 'value="Other"' in again.content.decode()
    assert Organisation.objects.filter(slug="golden-west").count() == 1


def test_the_forms_are_shown_to_analysts_only(client):
    planner = signed_in(factories.user("planner"))

    assert 'action="/records/targets/new/"' in client.get("/records/targets/").content.decode()
    assert 'action="/records/organisations/new/"' in (
        client.get("/records/organisations/").content.decode()
    )
    assert 'action="/records/targets/new/"' not in planner.get("/records/targets/").content.decode()
    assert 'action="/records/organisations/new/"' not in (
        planner.get("/records/organisations/").content.decode()
    )


@pytest.mark.parametrize("role, profile", [("planner", {}), ("field_coordinator", {"org": "npa"})])
def test_no_one_else_creates_reference_data(role, profile):
    other = signed_in(factories.user(role, **profile))

    target = other.post(
        "/records/targets/new/", {"year": "2026", "metric": "cleared_ha", "value": "1"}
    )
    organisation = other.post(
        "/records/organisations/new/", {"slug": "x-org", "name": "X", "kind": "ngo"}
    )

    assert target.status_code == organisation.status_code == 403
    assert "only analysts manage targets" in target.content.decode()
    assert not AnnualTarget.objects.filter(year=2026).exists()
    assert not Organisation.objects.filter(slug="x-org").exists()


def test_the_forms_need_their_csrf_token(analyst):
    browser = signed_in(analyst, enforce_csrf_checks=True)

    response = browser.post(
        "/records/organisations/new/", {"slug": "no-token", "name": "X", "kind": "ngo"}
    )

    assert response.status_code == 403
    assert not Organisation.objects.filter(slug="no-token").exists()
    page = browser.get("/records/targets/").content.decode()
    form = page[page.index('action="/records/targets/new/"') :]
    assert 'name="csrfmiddlewaretoken"' in form[: form.index("</form>")]
