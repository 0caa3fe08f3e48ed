"""The upload pages' words for their scripts, and an upload's status and kind in a word."""

from django import template
from django.utils.html import json_script

from app.uploads.page_texts import KIND_WORDS, STATUS_WORDS, upload_page_texts

register = template.Library()


@register.simple_tag
def upload_texts():
    """``<script id="upload-texts" type="application/json">``, read by static/uploads/texts.js."""
    return json_script(upload_page_texts(), "upload-texts")


@register.filter
def status_word(status: str) -> str:
    return str(STATUS_WORDS.get(status, status))


@register.filter
def kind_word(kind: str) -> str:
    return str(KIND_WORDS.get(kind, kind))
