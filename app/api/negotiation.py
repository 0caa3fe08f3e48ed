"""``?format=``, DRF's renderer switch, answered like every other parameter.

DRF answers a format no renderer of the endpoint has with a 404, as if the endpoint did not
exist, where our endpoints refuse any other unknown parameter value with a 400 naming it
(app.api.errors). Here it is a 400 naming ``format`` and the formats the endpoint has (json,
csv and xlsx on the statistics).
"""

from django.utils.translation import gettext
from rest_framework.negotiation import DefaultContentNegotiation


class UnknownFormat(ValueError):
    def __init__(self, given: str, formats: list[str]) -> None:
        self.parameter = "format"
        self.message = gettext(
            "%(given)r is not a format of this endpoint; it answers %(formats)s"
        ) % {"given": given, "formats": ", ".join(formats)}
        super().__init__(self.message)


class FormatNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, with a 400 (UnknownFormat) for a ``?format=`` the endpoint lacks."""

    def select_renderer(self, request, renderers, format_suffix=None):
        given = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        formats = [renderer.format for renderer in renderers]
        if given and given not in formats:
            raise UnknownFormat(given, formats)
        return super().select_renderer(request, renderers, format_suffix)
