"""One error shape for the whole API: {"error": "...", "parameter": "..."}.

A 400 names the parameter to fix; nothing reaches the client as a traceback.
"""

from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
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
