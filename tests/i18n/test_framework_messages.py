"""Django REST framework's and Django's own messages reach a Vietnamese reader in Vietnamese:
our catalogue translates those their catalogues lack (app.api.framework_messages,
app.accounts.django_messages), under msgids that are theirs to the character."""

from pathlib import Path

import pytest
import rest_framework
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.utils import translation
from django.utils.translation import gettext

from app.api import framework_messages

pytestmark = pytest.mark.vietnamese


def _source(package, *names: str) -> str:
    folder = Path(package.__file__).parent
    return "".join((folder / name).read_text(encoding="utf-8") for name in names)


@pytest.mark.parametrize("msgid", [*framework_messages.EXCEPTIONS, *framework_messages.FIELDS])
def test_each_listed_message_is_drfs_own_msgid(msgid):
    source = _source(
        rest_framework, "exceptions.py", "fields.py", "serializers.py", "validators.py"
    )

    assert f"_('{msgid}')" in source or f'_("{msgid}")' in source


def test_each_listed_message_has_its_vietnamese():
    with translation.override("vi"):
        untranslated = [
            msgid
            for msgid in (*framework_messages.EXCEPTIONS, *framework_messages.FIELDS)
            if gettext(msgid) == msgid
        ]

    assert not untranslated


def test_djangos_password_length_refusal_is_in_vietnamese():
    with translation.override("vi"):
        message = MinimumLengthValidator().get_error_message()

    assert message == "Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 8 ký tự."


@pytest.mark.django_db
def test_an_anonymous_api_request_is_refused_in_vietnamese(anonymous_client):
    response = anonymous_client.get("/api/v1/releases/")

    assert response.status_code == 401
    assert response["Content-Language"] == "vi"
    assert response.json() == {
        "error": "Chưa cung cấp thông tin xác thực: hãy đăng nhập hoặc gửi token."
    }


@pytest.mark.django_db
def test_an_anonymous_api_request_is_refused_in_english_when_asked(anonymous_client):
    response = anonymous_client.get("/api/v1/releases/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.json() == {"error": "Authentication credentials were not provided."}


@pytest.mark.django_db
def test_a_method_the_endpoint_does_not_take_is_refused_in_vietnamese(client):
    response = client.delete("/api/v1/releases/")

    assert response.status_code == 405
    assert response.json() == {"error": 'Không cho phép phương thức "DELETE".'}


@pytest.mark.django_db
def test_a_parameter_below_its_minimum_is_explained_in_vietnamese(client):
    response = client.get("/api/v1/releases/?limit=0")

    assert response.status_code == 400
    assert response.json() == {
        "error": "limit: Giá trị phải lớn hơn hoặc bằng 1.",
        "parameter": "limit",
    }


@pytest.mark.django_db
def test_a_parameter_that_is_not_a_number_is_explained_in_vietnamese(client):
    response = client.get("/api/v1/releases/?offset=ten")

    assert response.json()["error"] == "offset: Hãy nhập một số nguyên hợp lệ."


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_explained_in_vietnamese_with_the_parsers_words(client):
    response = client.post(
        "/api/v1/records/releases/1/review/", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["error"] == (
        "không đọc được nội dung yêu cầu; hãy gửi JSON hoặc dữ liệu biểu mẫu"
    )
    assert response.json()["detail"].startswith("JSON parse error - ")
