"""manage.py create_demo_users: one user per role in two demo organisations, new passwords on
every run, and never with DEBUG off."""

import io
import re

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from app.accounts import policy
from app.accounts.models import SignInFailure
from app.registry.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug_on(settings):
    # pytest-django runs tests with DEBUG off; the demo is a development set-up.
    settings.DEBUG = True


def _run() -> dict[str, str]:
    out = io.StringIO()
    call_command("create_demo_users", stdout=out)
    return dict(re.findall(r"^  (demo-\S+)\s+(\S+)\s", out.getvalue(), flags=re.M))


def test_one_user_per_role_is_made_and_can_sign_in(debug_on):
    passwords = _run()

    assert set(passwords) == {
        "demo-coordinator-npa",
        "demo-coordinator-mag",
        "demo-analyst",
        "demo-planner",
        "demo-planner-aggregates",
        "demo-admin",
    }
    for username, password in passwords.items():
        assert authenticate(username=username, password=password) is not None, username
    npa = User.objects.get(username="demo-coordinator-npa")
    assert npa.profile.organisation.slug == "npa"
    assert policy.can_upload(npa) and not policy.can_review(npa)
    assert User.objects.get(username="demo-coordinator-mag").profile.organisation.slug == "mag"
    assert policy.can_review(User.objects.get(username="demo-analyst"))
    assert not policy.sees_polygons(User.objects.get(username="demo-planner-aggregates"))
    assert policy.sees_polygons(User.objects.get(username="demo-planner"))
    admin = User.objects.get(username="demo-admin")
    assert admin.is_staff and policy.can_manage_users(admin) and not admin.is_superuser


def test_the_demo_organisations_are_made_when_absent(debug_on):
    _run()

    assert Organisation.objects.get(slug="npa").name == "Norwegian People's Aid"
    assert Organisation.objects.filter(slug="mag").exists()


def test_a_second_run_resets_the_passwords_and_makes_no_new_user(debug_on):
    first = _run()
    analyst = User.objects.get(username="demo-analyst")
    analyst.groups.clear()
    SignInFailure.objects.create(username="demo-analyst", address="127.0.0.1")

    second = _run()

    assert User.objects.filter(username__startswith="demo-").count() == 6
    assert all(second[name] != first[name] for name in first)
    assert authenticate(username="demo-analyst", password=first["demo-analyst"]) is None
    assert authenticate(username="demo-analyst", password=second["demo-analyst"]) is not None
    assert policy.can_review(User.objects.get(username="demo-analyst"))
    assert not SignInFailure.objects.filter(username="demo-analyst").exists()


def test_it_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="demo users are for demo data only"):
        call_command("create_demo_users", stdout=io.StringIO())

    assert not User.objects.filter(username__startswith="demo-").exists()
