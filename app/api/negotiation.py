"""How the API's endpoints choose what to answer.

``AnswerWhateverIsAccepted``: the endpoints whose body is made before negotiation (the GeoJSON
lists and OGC items, PostGIS's text; the coverage rasters, a file) answer it whatever the Accept
header names, and refusals as JSON; DRF's negotiation would refuse ``Accept:
application/geo+json`` or ``image/tiff`` with a 406, knowing JSON only.

``FormatNegotiation``: ``?format=``, DRF's renderer switch, answered like every other parameter.

DRF answers a format no renderer of the endpoint has with a 404, as if the endpoint did not
exist, where our endpoints refuse any other unknown parameter value with a 400 naming it
(app.api.errors). Here it is a 400 naming ``format`` and the formats the endpoint has (json,
csv and xlsx on the statistics).
"""

from django.utils.translation import gettext
from rest_framework.negotiation import BaseContentNegotiation, DefaultContentNegotiation


class AnswerWhateverIsAccepted(BaseContentNegotiation):
    """The view's first renderer (JSON, for refusals) whatever the Accept header says; the
    view's own answer is made without a renderer."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


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
