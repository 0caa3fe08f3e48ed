"""manage.py review: the review page's decisions on whole batches from the command line,
recorded in every record's history under the named analyst, with the page's checks."""

import io

import pytest
from django.core.management import CommandError, call_command

from app.registry.models import RecordVersion, ReleaseArea
from app.uploads.models import Upload
from tests.uploads.files import release_frame

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def operator_reads_english(monkeypatch):
    monkeypatch.setenv("LANGUAGE", "en")


@pytest.fixture
def second_batch(uploads, tmp_path, cha) -> dict:
    path = tmp_path / "more.geojson"
    release_frame(references=("QT-101", "QT-102", "QT-103")).to_file(path, driver="GeoJSON")
    return uploads.committed(path, kind="release", organisation="npa")


def review(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("review", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failing_review(*args: str) -> tuple[str, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("review", *args, stdout=out, stderr=err)
    return str(failure.value), out.getvalue(), err.getvalue()


def statuses(upload_id: int) -> list[str]:
    return sorted(ReleaseArea.objects.filter(upload_id=upload_id).values_list("status", flat=True))


def decisions_recorded(upload_id: int) -> list[tuple]:
    return sorted(
        RecordVersion.objects.filter(
            upload_id=upload_id, action__in=["approved", "rejected", "returned"]
        ).values_list("action", "changed_by__username", "reason")
    )


def test_approving_two_uploads_is_recorded_under_the_analyst_with_the_reason(
    batch, second_batch, analyst
):
    out, _ = review(
        "approve",
        str(batch["id"]),
        str(second_batch["id"]),
        "--user",
        "analyst",
        "--reason",
        "migrated from the provincial database",
    )

    assert out.splitlines() == [
        f"Upload {batch['id']}: its submitted records are approved.",
        f"Upload {second_batch['id']}: its submitted records are approved.",
    ]
    for upload in (batch, second_batch):
        assert statuses(upload["id"]) == ["approved"] * 3
        assert Upload.objects.get(pk=upload["id"]).reviewed_by == analyst
        assert (
            decisions_recorded(upload["id"])
            == [("approved", "analyst", "migrated from the provincial database")] * 3
        )


def test_sending_back_moves_the_records_to_draft_with_the_reason(batch, analyst):
    out, _ = review("return", str(batch["id"]), "--user", "analyst", "--reason", "dates wrong")

    assert (
        out.strip() == f"Upload {batch['id']}: its submitted records are sent back for correction."
    )
    assert statuses(batch["id"]) == ["draft"] * 3
    assert decisions_recorded(batch["id"]) == [("returned", "analyst", "dates wrong")] * 3
    assert Upload.objects.get(pk=batch["id"]).review_reason == "dates wrong"


@pytest.mark.parametrize("decision", ["reject", "return"])
def test_rejecting_or_sending_back_without_a_reason_decides_nothing(batch, analyst, decision):
    error, _, _ = failing_review(decision, str(batch["id"]), "--user", "analyst")

    assert error == (
        "--reason: say why: a reason is required to reject or send back for correction"
    )
    assert statuses(batch["id"]) == ["submitted"] * 3
    assert decisions_recorded(batch["id"]) == []


@pytest.mark.parametrize("username", ["coordinator-npa", "planner"])
def test_a_user_who_may_not_review_decides_nothing(batch, coordinator, planner, username):
    error, _, _ = failing_review("approve", str(batch["id"]), "--user", username)

    assert error == f"{username} may not review: only analysts review submissions"
    assert statuses(batch["id"]) == ["submitted"] * 3


def test_an_unknown_user_is_a_clear_error(batch):
    error, _, _ = failing_review("approve", str(batch["id"]), "--user", "nobody")

    assert error == "no user 'nobody'; add one with manage.py add_user --role analyst"
    assert statuses(batch["id"]) == ["submitted"] * 3


def test_an_upload_that_cannot_be_decided_is_named_and_the_others_are_decided(
    batch, second_batch, analyst
):
    review("reject", str(batch["id"]), "--user", "analyst", "--reason", "outside the task")

    error, out, err = failing_review(
        "approve", "999999", str(batch["id"]), str(second_batch["id"]), "--user", "analyst"
    )

    assert err.splitlines() == [
        "no upload 999999",
        f"upload {batch['id']} has no submitted record (its review is rejected); only "
        "submitted records can be approved, rejected or sent back",
    ]
    assert out.strip() == f"Upload {second_batch['id']}: its submitted records are approved."
    assert error == (
        f"not decided: upload(s) 999999, {batch['id']} (see above); the other uploads were decided"
    )
    assert statuses(batch["id"]) == ["rejected"] * 3
    assert statuses(second_batch["id"]) == ["approved"] * 3


@pytest.mark.vietnamese
def test_it_speaks_vietnamese_unless_the_operator_reads_english(batch, analyst, monkeypatch):
    monkeypatch.delenv("LANGUAGE")

    error, _, _ = failing_review("reject", str(batch["id"]), "--user", "analyst")

    assert error.startswith("--reason: ")
    assert "reason" not in error.removeprefix("--reason: ")
