"""What a request may carry as text, checked once at the boundary for the pages and the API.

PostgreSQL stores no NUL character in text: a NUL that reached a query or a write was a 500
("PostgreSQL text fields cannot contain NUL (0x00) bytes"), wherever it came from (a record's
notes, a review's reason, a sign-in name, ``?reason=%00``, an upload's mapping). And a JSON body
nested some thousands deep made the parser itself overflow. So, before any view runs:

- ``RequestTextMiddleware`` refuses a NUL in the query string, in a POSTed form's fields and in
  the names of uploaded files, for every page and endpoint;
- the API's parsers (``JSONObjectParser``, ``FormTextParser``, ``MultiPartTextParser``, the
  DRF defaults in settings) refuse a NUL anywhere in a body, a JSON body nested deeper than
  ``MAX_JSON_DEPTH``, and a JSON body that is not an object (every endpoint reads named fields).

Each refusal is a 400 naming the field to fix, in the API's error shape (app.api.errors) or on
the site's 400 page. Types (a reason that is a number) are the serializers' question:
``TextField``.
"""

from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

NUL = "\x00"
# Nesting of a JSON body: a record's GeoJSON geometry needs 6 levels (a MultiPolygon's
# coordinates inside the body); Python's parser overflows its stack near 1,000.
MAX_JSON_DEPTH = 32
# Where the API answers in JSON rather than with pages.
API_PREFIX = "/api/"


class UnreadableText(ValueError):
    """A request's text that cannot be stored or read; ``parameter`` names the field (400)."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def _nul_in(parameter: str) -> UnreadableText:
    return UnreadableText(
        parameter, gettext("contains a NUL character (\\0), which cannot be stored; remove it")
    )


def _form_fields(request: HttpRequest) -> Iterator[tuple[str, str]]:
    """(field, text) of the query string and, for a POSTed form, its fields and file names."""
    yield from _pairs(request.GET)
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        yield from _pairs(request.POST)
        for name, sent in request.FILES.lists():
            for each in sent:
                yield name, each.name or ""


def _pairs(query) -> Iterator[tuple[str, str]]:
    for name, values in query.lists():
        yield name, name
        for value in values:
            yield name, value


def check_form_text(pairs) -> None:
    """Raise UnreadableText for the first (field, text) of ``pairs`` that holds a NUL."""
    for name, text in pairs:
        if NUL in text:
            raise _nul_in(name.replace(NUL, "\\0"))


class RequestTextMiddleware:
    """A NUL in the query string, a form field or a file name: 400 naming the field, before the
    view (and the sign-in throttle, and any query) sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            if NUL in request.path:
                raise _nul_in("path")
            check_form_text(_form_fields(request))
        except UnreadableText as refused:
            return refusal(request, refused)
        return self.get_response(request)


def refusal(request: HttpRequest, refused: UnreadableText) -> HttpResponse:
    message = f"{refused.parameter}: {refused.message}"
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"error": message, "parameter": refused.parameter}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


def check_json_text(data) -> None:
    """Raise UnreadableText for a JSON body that is not an object, that nests deeper than
    ``MAX_JSON_DEPTH``, or that holds a NUL in a key or a string (the field named by its path,
    ``geometry.coordinates``). Walked without recursion, whatever the depth."""
    if not isinstance(data, dict):
        raise UnreadableText(
            "body",
            gettext("send a JSON object with named fields, not %(type)s")
            % {"type": _json_type(data)},
        )
    pending = [(data, "", 1)]
    while pending:
        value, path, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise UnreadableText(
                path.split(".")[0] or "body",
                gettext("nested more than %(depth)s levels deep") % {"depth": MAX_JSON_DEPTH},
            )
        if isinstance(value, dict):
            for key, each in value.items():
                inner = f"{path}.{key}" if path else key
                if NUL in key:
                    raise _nul_in(inner.replace(NUL, "\\0"))
                pending.append((each, inner, depth + 1))
        elif isinstance(value, list):
            pending.extend((each, path, depth + 1) for each in value)
        elif isinstance(value, str) and NUL in value:
            raise _nul_in(path)


# Brace-formatted: DRF's Field.fail fills a message with str.format.
NOT_TEXT = _("must be text (a JSON string), not {type}")


def as_text(parameter: str, value) -> str:
    """``value`` if it is text; else UnreadableText naming ``parameter`` (a 400)."""
    if not isinstance(value, str):
        raise UnreadableText(parameter, str(NOT_TEXT).format(type=_json_type(value)))
    return value


def _json_type(value) -> str:
    if isinstance(value, list):
        return gettext("a list")
    if isinstance(value, dict):
        return gettext("an object")
    if isinstance(value, str):
        return gettext("a string")
    if value is None:
        return "null"
    return gettext("a number") if not isinstance(value, bool) else gettext("true or false")


class JSONObjectParser(JSONParser):
    """DRF's JSON parser, refusing what ``check_json_text`` refuses."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise UnreadableText(
                "body",
                gettext("nested more than %(depth)s levels deep") % {"depth": MAX_JSON_DEPTH},
            ) from error
        check_json_text(data)
        return data


class FormTextParser(FormParser):
    """A form body (PUT, PATCH: the middleware sees POST only), refusing a NUL."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        check_form_text(_pairs(data))
        return data


class MultiPartTextParser(MultiPartParser):
    """A multipart body (PUT, PATCH), refusing a NUL in a field or a file's name."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        check_form_text(_pairs(parsed.data))
        check_form_text(
            (name, each.name or "") for name, sent in parsed.files.lists() for each in sent
        )
        return parsed


# What the API's views parse, in DRF's order (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES).
PARSERS = [JSONObjectParser, FormTextParser, MultiPartTextParser]


class TextField(serializers.CharField):
    """Text as sent: DRF's CharField turns a number into text (``1.5`` becomes ``"1.5"``); a
    reason or a name sent as a number, a list or an object is the client's mistake, refused
    naming the field. A NUL is refused too (CharField's own validator)."""

    default_error_messages = {"not_text": NOT_TEXT}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text", type=_json_type(data))
        return super().to_internal_value(data)
