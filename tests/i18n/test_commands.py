"""The account commands print in the site's language, Vietnamese, unless the operator's
``LANGUAGE`` asks for English; Django's password refusals come out in that language too."""

import io

import pytest
from django.core.management import CommandError, call_command

from app.accounts.language import command_language

pytestmark = [pytest.mark.django_db, pytest.mark.vietnamese]


def _add(username: str, password_variable: str) -> str:
    out = io.StringIO()
    call_command(
        "add_user", username, role="planner", password_from_env=password_variable, stdout=out
    )
    return out.getvalue()


def test_a_short_password_is_refused_in_vietnamese_by_default(monkeypatch):
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.setenv("SHORT", "xq7-Lm")

    with pytest.raises(CommandError) as refusal:
        _add("linh", "SHORT")

    assert str(refusal.value) == (
        "mật khẩu: Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 8 ký tự."
    )


def test_a_short_password_is_refused_in_english_when_the_operator_reads_english(monkeypatch):
    monkeypatch.setenv("LANGUAGE", "en_GB:en")
    monkeypatch.setenv("SHORT", "xq7-Lm")

    with pytest.raises(CommandError) as refusal:
        _add("linh", "SHORT")

    assert str(refusal.value) == (
        "password: This password is too short. It must contain at least 8 characters."
    )


def test_the_new_user_is_announced_in_vietnamese(monkeypatch):
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.setenv("GOOD", "mìn-sạch-2024-đất")

    assert _add("linh", "GOOD").strip() == "Đã tạo người dùng linh: Cán bộ kế hoạch"


@pytest.mark.parametrize(
    ("language", "spoken"),
    [("", "vi"), ("en", "en"), ("en_US.UTF-8:en", "en"), ("fr:en", "en"), ("fr", "vi")],
)
def test_the_command_language_is_the_first_of_LANGUAGE_the_site_has(language, spoken):
    assert command_language({"LANGUAGE": language}) == spoken
