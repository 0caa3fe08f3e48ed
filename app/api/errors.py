"""One error shape for the whole API: {"error": "<parameter>: <what to fix>", "parameter": "..."}.

A 400 names the parameter to fix; nothing reaches the client as a traceback. Selectors raise
plain exceptions carrying ``parameter`` and ``message`` (app.api.exceptions, and the accounting
ones alike): a LookupError (an unknown slug or code) becomes a 404, a ValueError a 400.
DRF's own refusals keep their words, translated by our catalogue (app.api.framework_messages),
except a body that does not parse, which DRF words in English only.
"""

from django.http import JsonResponse
from django.utils.translation import gettext
from django.views.defaults import page_not_found
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if _names_parameter(exc):
        if isinstance(exc, LookupError):
            return _error(exc.parameter, exc.message, status.HTTP_404_NOT_FOUND)
        if isinstance(exc, ValueError):
            return _error(exc.parameter, exc.message, status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ParseError):
        # DRF's parsers word this in English only ("JSON parse error - Expecting value: line 1
        # column 1 (char 0)"): our sentence, and theirs beside it for whoever debugs.
        response.data = {
            "error": gettext("the request body could not be read; send JSON or a form"),
            "detail": str(exc.detail),
        }
        return response
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        # SessionAuthentication's refusal, English only ("CSRF Failed: CSRF token missing.").
        response.data = {
            "error": gettext(
                "the CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken "
                "header, or authenticate with a token instead of the session"
            ),
            "detail": str(exc.detail),
        }
        return response
    detail = response.data
    if isinstance(detail, dict) and "error" in detail:
        return response
    if isinstance(detail, dict) and "detail" in detail:
        response.data = {"error": str(detail["detail"])}
    elif isinstance(detail, dict):
        parameter, messages = next(iter(detail.items()))
        message = messages[0] if isinstance(messages, list) else messages
        response.data = {"error": f"{parameter}: {message}", "parameter": parameter}
    else:
        response.data = {"error": str(detail)}
    return response


def _names_parameter(exc) -> bool:
    return isinstance(getattr(exc, "parameter", None), str) and hasattr(exc, "message")


def _error(parameter: str, message: str, status_code: int) -> Response:
    return Response(
        {"error": f"{parameter}: {message}", "parameter": parameter}, status=status_code
    )


def not_found(request, exception):
    """handler404 (app.urls): a URL under /api/ that names no endpoint (``uploads/abc/``, a
    typo) is refused in the API's shape, as JSON; every other path gets the site's page."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "error": gettext(
                    "no endpoint at this URL; the API's endpoints are listed at /api/v1/docs/"
                )
            },
            status=status.HTTP_404_NOT_FOUND,
        )
    return page_not_found(request, exception)
