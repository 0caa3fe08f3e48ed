"""Ordinary bad input is a 400 naming the field, never a 500 (issue 8: 19 server errors in the
probe): a NUL character in any text (JSON, forms, query strings, file names, the sign-in form),
a reason that is not text, a JSON body that is a list or nested 50,000 deep. A representative
set of the API's endpoints and of the pages, through the Django test client."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from app.registry.models import Organisation, ReleaseArea, ReviewStatus
from app.uploads.models import Upload
from tests import factories
from tests.uploads.files import FIELDS

pytestmark = pytest.mark.django_db

NUL = "\x00"
DEEP = "[" * 50_000 + "]" * 50_000
# Too deep for Python's parser (about 1,000): the body is named; within it, the field is.
DEEP_OBJECT = '{"reason": ' + DEEP + "}"
NESTED_REASON = '{"reason": ' + "[" * 40 + "]" * 40 + "}"


@pytest.fixture
def upload_root(settings, tmp_path):
    settings.UPLOAD_ROOT = tmp_path / "upload-root"
    return settings.UPLOAD_ROOT


@pytest.fixture
def release(db) -> ReleaseArea:
    return factories.release(FIELDS[0], status=ReviewStatus.SUBMITTED)


@pytest.fixture
def committed(release) -> Upload:
    upload = Upload.objects.create(
        organisation=release.organisation,
        kind="release",
        filename="releases.geojson",
        stored_name="releases.geojson",
        sha256="0" * 64,
        size_bytes=1,
        status="committed",
        review_status="submitted",
    )
    ReleaseArea.objects.filter(pk=release.pk).update(upload=upload)
    return upload


def refused(response, parameter: str) -> None:
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["parameter"] == parameter, body
    assert body["error"].startswith(f"{parameter}: "), body


def post_json(client: Client, url: str, text: str, method: str = "post"):
    return getattr(client, method)(url, data=text, content_type="application/json")


DECISIONS = ("approve", "reject", "return", "resubmit")


@pytest.mark.parametrize("decision", DECISIONS)
@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"reason": f"a{NUL}b"}, "reason"),
        ({"reason": 1.5}, "reason"),
        ({"reason": ["why"]}, "reason"),
        ({"reason": {"why": "because"}}, "reason"),
        (["reason"], "body"),
    ],
)
def test_a_decisions_bad_body_is_a_400_naming_the_field(
    client, committed, decision, body, parameter
):
    response = post_json(client, f"/api/v1/uploads/{committed.pk}/{decision}/", json.dumps(body))

    refused(response, parameter)
    assert ReleaseArea.objects.get(upload=committed).status == ReviewStatus.SUBMITTED


@pytest.mark.parametrize("endpoint", [*DECISIONS, "commit"])
@pytest.mark.parametrize(
    ("text", "parameter"),
    [
        (DEEP, "body"),
        (DEEP_OBJECT, "body"),
        (NESTED_REASON, "reason"),
        ("[]", "body"),
        ("1.5", "body"),
    ],
    ids=["50000-deep-list", "50000-deep-reason", "40-deep-reason", "list", "number"],
)
def test_a_list_a_number_or_a_50000_deep_body_is_a_400_on_decisions_and_commit(
    client, committed, endpoint, text, parameter
):
    response = post_json(client, f"/api/v1/uploads/{committed.pk}/{endpoint}/", text)

    refused(response, parameter)


def test_one_records_decision_refuses_a_reason_that_is_not_text(client, release):
    response = post_json(
        client,
        f"/api/v1/records/releases/{release.pk}/review/",
        json.dumps({"decision": "reject", "reason": 1.5}),
    )

    refused(response, "reason")


def test_a_nul_in_a_records_fields_and_in_a_query_parameter_is_a_400(client, release):
    refused(
        post_json(
            client,
            f"/api/v1/records/releases/{release.pk}/",
            json.dumps({"reference": f"x{NUL}", "reason": "typo"}),
            method="patch",
        ),
        "reference",
    )
    refused(client.delete(f"/api/v1/records/releases/{release.pk}/?reason=%00"), "reason")
    refused(client.get("/api/v1/releases/?organisation=np%00a"), "organisation")
    refused(client.get("/api/v1/stats/release/?as_of=2023-12-31&by=%00"), "by")
    assert ReleaseArea.objects.get(pk=release.pk).deleted_at is None


def test_a_records_reason_that_is_not_text_is_a_400(client, release):
    refused(
        post_json(
            client,
            f"/api/v1/records/releases/{release.pk}/",
            json.dumps({"reference": "fine", "reason": 1.5}),
            method="patch",
        ),
        "reason",
    )


@pytest.mark.parametrize("value", [1.5, -1, True, ["2023-01-01"], {"day": 1}])
@pytest.mark.parametrize("field", ["completed_on", "reference"])
def test_a_records_field_sent_as_a_number_list_or_object_is_a_400_or_text(
    client, release, field, value
):
    response = post_json(
        client,
        f"/api/v1/records/releases/{release.pk}/",
        json.dumps({field: value, "reason": "probe"}),
        method="patch",
    )

    if field == "reference" and not isinstance(value, list | dict):
        assert response.status_code == 200, response.json()  # a number is fine as text
    else:
        refused(response, field)


def test_a_nul_in_an_uploads_field_is_a_400_and_in_its_file_name_is_dropped(client, upload_root):
    factories.organisation("npa")
    for field, value in [
        ("organisation", f"npa{NUL}"),
        ("mapping", f"reference=ref{NUL}"),
        ("defaults", f"method=cleared{NUL}"),
        ("crs", f"EPSG:4326{NUL}"),
    ]:
        sent = SimpleUploadedFile("ok.geojson", b"{}", content_type="application/json")
        fields = {"file": sent, "kind": "release", "organisation": "npa", field: value}
        refused(client.post("/api/v1/uploads/", fields), field)
    assert Upload.objects.count() == 0
    # Django's multipart parser drops unprintable characters from a file's name.
    sent = SimpleUploadedFile(f"a{NUL}b.geojson", b"{}", content_type="application/json")
    response = client.post(
        "/api/v1/uploads/", {"file": sent, "kind": "release", "organisation": "npa"}
    )
    assert response.status_code == 202
    assert response.json()["filename"] == "ab.geojson"


def test_a_nul_in_the_token_requests_name_is_a_400(anonymous_client):
    response = post_json(
        anonymous_client,
        "/api/v1/auth/token/",
        json.dumps({"username": f"analyst{NUL}", "password": "x"}),
    )

    refused(response, "username")


# ---- pages ----


def page_refused(response, parameter: str) -> None:
    assert response.status_code == 400, response.content[:300]
    assert f"{parameter}: " in response.content.decode()


def test_a_nul_in_the_sign_in_form_is_a_400_page(anonymous_client, analyst):
    response = anonymous_client.post(
        "/accounts/login/", {"username": f"analyst{NUL}", "password": "x"}
    )

    page_refused(response, "username")


def test_a_nul_in_a_pages_query_or_form_is_a_400_page(client, committed):
    page_refused(client.get("/records/releases/?organisation=%00"), "organisation")
    page_refused(client.get("/uploads/?x%00=1"), "x\\0")
    page_refused(
        client.post(
            "/records/organisations/new/", {"slug": "new", "name": f"New{NUL}", "kind": "ngo"}
        ),
        "name",
    )
    page_refused(
        client.post(
            f"/review/{committed.pk}/decide/", {"decision": "reject", "reason": f"no{NUL}"}
        ),
        "reason",
    )
    assert not Organisation.objects.filter(slug="new").exists()
    assert ReleaseArea.objects.get(upload=committed).status == ReviewStatus.SUBMITTED


def test_the_refusal_says_what_was_sent_instead_of_text(client, committed):
    response = post_json(
        client, f"/api/v1/uploads/{committed.pk}/reject/", json.dumps({"reason": {"a": 1}})
    )

    assert response.json()["error"] == "reason: must be text (a JSON string), not an object"


def test_text_without_nul_still_passes(client, committed):
    response = post_json(
        client, f"/api/v1/uploads/{committed.pk}/reject/", json.dumps({"reason": "no \\u00e9"})
    )

    assert response.status_code == 200, response.content
