"""OGC API exceptions: ``{"code": ..., "description": ...}`` (the standard's exception schema),
with the status and the words the rest of the API gives (app.api.errors).

An unknown organisation slug or admin unit code is a 404 in /api/v1 (an unknown resource); here
it is the value of a query parameter, which the standard answers with a 400
(InvalidParameterValue). Unknown collections and features are the 404s.
"""

from rest_framework import status
from rest_framework.response import Response

from app.api import errors

CODES = {
    400: "InvalidParameterValue",
    401: "NotAuthenticated",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    406: "NotAcceptable",
    429: "TooManyRequests",
}


class NotFound(LookupError):
    """A collection or feature that does not exist (or that the reader may not know of)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def exception_handler(exc, context):
    if isinstance(exc, NotFound):
        response = Response({"error": exc.message}, status=status.HTTP_404_NOT_FOUND)
    elif isinstance(exc, LookupError) and isinstance(getattr(exc, "parameter", None), str):
        response = Response(
            {"error": f"{exc.parameter}: {exc.message}", "parameter": exc.parameter},
            status=status.HTTP_400_BAD_REQUEST,
        )
    else:
        response = errors.exception_handler(exc, context)
    if response is None:
        return None
    data = response.data if isinstance(response.data, dict) else {"error": str(response.data)}
    body = {
        "code": CODES.get(response.status_code, "Error"),
        "description": data.get("error", ""),
    }
    if "parameter" in data:
        body["parameter"] = data["parameter"]
    response.data = body
    return response
