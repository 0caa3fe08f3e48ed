"""The FeatureCollection envelope around features PostGIS already wrote as JSON text.

OGC API Features style: ``numberMatched``, ``numberReturned`` and ``links`` (self, next, prev)
so a client can walk the pages. The features text is spliced in as bytes, never parsed.
"""

import orjson
from django.http import HttpResponse

from app.api.selectors.features import FeaturePage

GEOJSON_MEDIA_TYPE = "application/geo+json"


def feature_collection_response(request, page: FeaturePage) -> HttpResponse:
    envelope = orjson.dumps(
        {
            "type": "FeatureCollection",
            "numberMatched": page.number_matched,
            "numberReturned": page.number_returned,
            "links": page_links(request, page),
        }
    )
    content = b"".join((envelope[:-1], b',"features":[', page.features_json.encode(), b"]}"))
    return HttpResponse(content, content_type=GEOJSON_MEDIA_TYPE)


def page_links(request, page: FeaturePage) -> list[dict]:
    links = [_link(request, "self", offset=page.offset, limit=page.limit)]
    if page.offset + page.number_returned < page.number_matched:
        links.append(_link(request, "next", offset=page.offset + page.limit, limit=page.limit))
    if page.offset > 0:
        previous = max(0, page.offset - page.limit)
        links.append(_link(request, "prev", offset=previous, limit=page.limit))
    return links


def _link(request, rel: str, *, offset: int, limit: int) -> dict:
    query = request.GET.copy()
    query["limit"] = str(limit)
    query["offset"] = str(offset)
    href = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"href": href, "rel": rel, "type": GEOJSON_MEDIA_TYPE}
