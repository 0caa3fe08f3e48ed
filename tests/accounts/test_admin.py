"""/admin/ for administrators: users with their role groups and profile; nothing of the
registry; no way to make a superuser without being one."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from app.accounts import policy
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(db):
    return factories.user("administrator", username="quan-tri")


def _as(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_an_administrator_sees_users_and_groups_and_no_registry_data(administrator):
    page = _as(administrator).get("/admin/")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="/admin/auth/user/"' in html
    assert 'href="/admin/auth/group/"' in html
    assert "/admin/registry/" not in html
    assert _as(administrator).get("/admin/registry/").status_code == 404


def test_an_administrators_role_reads_approved_data_only(administrator):
    assert policy.can_view_data(administrator)
    assert not policy.sees_all_records(administrator)
    assert not policy.can_review(administrator)
    assert not policy.can_upload(administrator)
    assert not policy.can_change_any_record(administrator)
    assert not policy.can_manage_reference_data(administrator)


def test_an_administrator_sets_a_users_role_and_profile(administrator):
    npa = factories.organisation("npa")
    user = factories.user("planner", username="linh")
    browser = _as(administrator)
    form = browser.get(f"/admin/auth/user/{user.pk}/change/")
    assert form.status_code == 200
    assert 'name="profile-0-aggregates_only"' in form.content.decode()

    response = browser.post(
        f"/admin/auth/user/{user.pk}/change/",
        {
            "username": "linh",
            "first_name": "",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "groups": [Group.objects.get(name="field_coordinator").pk],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2025-01-01",
            "date_joined_1": "00:00:00",
            "profile-TOTAL_FORMS": "1",
            "profile-INITIAL_FORMS": "1",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1",
            "profile-0-id": user.profile.pk,
            "profile-0-user": user.pk,
            "profile-0-organisation": npa.pk,
            "profile-0-aggregates_only": "on",
            "profile-0-language": "en",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    user.profile.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == ["field_coordinator"]
    assert user.profile.organisation == npa
    assert user.profile.aggregates_only is True
    assert user.profile.language == "en"
    assert policy.can_upload_for(user, npa.pk)


def test_an_administrator_cannot_make_a_superuser(administrator):
    user = factories.user("planner", username="linh")
    browser = _as(administrator)

    html = browser.get(f"/admin/auth/user/{user.pk}/change/").content.decode()

    assert 'name="is_superuser"' not in html
    assert 'name="user_permissions"' not in html
    assert 'name="groups"' in html


def test_a_role_without_user_management_cannot_open_the_admin(analyst):
    response = _as(analyst).get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_user_list_shows_roles_by_name_and_organisations(administrator):
    factories.user("field_coordinator", org="mag", username="hoa")

    html = _as(administrator).get("/admin/auth/user/").content.decode()

    assert '<td class="field-roles">Field coordinator</td>' in html
    assert '<td class="field-organisation">mag</td>' in html
    assert User.objects.count() == 2


def test_the_user_list_filters_by_role(administrator):
    factories.user("field_coordinator", org="mag", username="hoa")

    html = _as(administrator).get("/admin/auth/user/?role=field_coordinator").content.decode()

    assert ">hoa</a>" in html and ">quan-tri</a>" not in html
    assert 'href="?role=analyst"' in html and "Analyst (QTMAC)" in html


def test_the_group_picker_names_each_role_beside_its_group(administrator):
    user = factories.user("planner", username="linh")

    html = _as(administrator).get(f"/admin/auth/user/{user.pk}/change/").content.decode()

    coordinator = Group.objects.get(name="field_coordinator").pk
    assert f'<option value="{coordinator}">Field coordinator (field_coordinator)</option>' in html


@pytest.mark.vietnamese
def test_the_group_list_shows_each_role_in_the_readers_language(administrator):
    html = _as(administrator).get("/admin/auth/group/").content.decode()

    assert '<td class="field-role">Điều phối viên hiện trường</td>' in html
    assert '<td class="field-role">Quản trị viên</td>' in html
    # The group keeps its name, which the code looks it up by.
    assert ">field_coordinator</a>" in html
