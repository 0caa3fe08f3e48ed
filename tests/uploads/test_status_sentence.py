"""The upload page's sentence under the progress bar follows a committed upload's review: it
says "waiting for review" only while the batch waits, and what the review decided after."""

from pathlib import Path

from django.utils import translation

from app.uploads.models import UploadReviewStatus
from app.uploads.page_texts import upload_page_texts

SCRIPT = Path(__file__).parents[2] / "app" / "uploads" / "static" / "uploads" / "upload_status.js"


def test_there_is_a_sentence_for_every_review_state_of_a_committed_upload():
    sentences = upload_page_texts()["committed_review"]

    assert set(sentences) == set(UploadReviewStatus.values)


def test_only_a_batch_waiting_for_review_is_said_to_be_waiting():
    sentences = upload_page_texts()["committed_review"]

    waiting = {state for state, sentence in sentences.items() if "waiting for review" in sentence}
    assert waiting == {"submitted"}
    assert "count on the maps and in the statistics." in sentences["approved"]
    assert "do not count" in sentences["rejected"]
    assert "sent back for correction" in sentences["draft"]
    assert "waiting for review" not in upload_page_texts()["status_text"]["committed"]


def test_the_sentences_are_translated():
    with translation.override("vi"):
        sentences = upload_page_texts()["committed_review"]
    with translation.override("en"):
        english = upload_page_texts()["committed_review"]

    assert all(sentences[state] != english[state] for state in english)


def test_the_script_picks_the_sentence_by_the_uploads_review_state():
    script = SCRIPT.read_text(encoding="utf-8")

    assert "const review = upload.review && upload.review.status;" in script
    assert "t(`committed_review.${review}`)" in script
    assert "statusSentence(upload)" in script
