"""manage.py add_user: a user in one role with their profile, or a message saying what to fix."""

import io
import sys

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from tests import factories

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "mìn-sạch-2024-đất"


@pytest.fixture
def password_in_env(monkeypatch):
    monkeypatch.setenv("NEW_USER_PASSWORD", GOOD_PASSWORD)
    return "NEW_USER_PASSWORD"


def _add(*args, **options) -> str:
    out = io.StringIO()
    call_command("add_user", *args, stdout=out, **options)
    return out.getvalue()


def test_a_coordinator_is_added_with_organisation_language_and_password(password_in_env):
    factories.organisation("mag")

    out = _add(
        "hoa",
        role="field_coordinator",
        organisation="mag",
        language="vi",
        password_from_env=password_in_env,
    )

    assert out.strip() == "Created user hoa: Field coordinator of mag"
    user = authenticate(username="hoa", password=GOOD_PASSWORD)
    assert user is not None
    assert list(user.groups.values_list("name", flat=True)) == ["field_coordinator"]
    assert user.profile.organisation.slug == "mag"
    assert user.profile.language == "vi"
    assert not user.is_staff


def test_an_aggregates_only_planner(password_in_env):
    _add("donor", role="planner", aggregates_only=True, password_from_env=password_in_env)

    assert User.objects.get(username="donor").profile.aggregates_only is True


def test_an_administrator_is_staff_for_the_admin_pages(password_in_env):
    _add("quan-tri", role="administrator", password_from_env=password_in_env)

    assert User.objects.get(username="quan-tri").is_staff


def test_a_coordinator_without_organisation_is_refused(password_in_env):
    with pytest.raises(CommandError, match="needs an organisation"):
        _add("hoa", role="field_coordinator", password_from_env=password_in_env)

    assert not User.objects.filter(username="hoa").exists()


def test_an_unknown_organisation_is_refused(password_in_env):
    with pytest.raises(CommandError, match="no organisation with slug nope"):
        _add("hoa", role="analyst", organisation="nope", password_from_env=password_in_env)


def test_an_unknown_role_is_refused(password_in_env):
    with pytest.raises(CommandError, match="invalid choice: 'boss'"):
        _add("hoa", "--role", "boss", "--password-from-env", password_in_env)


def test_a_taken_user_name_is_refused(password_in_env):
    factories.user("planner", username="hoa")

    with pytest.raises(CommandError, match="user name hoa is taken"):
        _add("hoa", role="planner", password_from_env=password_in_env)


def test_a_weak_password_is_refused_with_the_reason(monkeypatch):
    monkeypatch.setenv("WEAK", "12345678")

    with pytest.raises(CommandError, match="password: .*too common"):
        _add("hoa", role="planner", password_from_env="WEAK")

    assert not User.objects.filter(username="hoa").exists()


def test_an_empty_password_variable_is_refused(monkeypatch):
    monkeypatch.delenv("UNSET_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="UNSET_PASSWORD: that variable is empty or unset"):
        _add("hoa", role="planner", password_from_env="UNSET_PASSWORD")


def test_without_a_terminal_or_variable_it_says_how_to_give_a_password(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))

    with pytest.raises(CommandError, match="--password-from-env VAR"):
        _add("hoa", role="planner")


def test_in_a_terminal_the_password_is_asked_twice(monkeypatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    _add("hoa", role="planner")

    assert authenticate(username="hoa", password=GOOD_PASSWORD) is not None


def test_two_different_passwords_in_a_terminal_are_refused(monkeypatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    with pytest.raises(CommandError, match="the two passwords differ"):
        _add("hoa", role="planner")
