"""The JSON documents of /ogc/ (landing page, conformance, collections, queryables), built from
the collections' definitions and the extents PostGIS measured. Links are absolute, as clients
such as GDAL follow them as given."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext

from app.api.selectors.features import LayerExtent
from app.ogc.collections import Collection
from app.ogc.crs import CRS84, SUPPORTED

JSON = "application/json"
GEOJSON = "application/geo+json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
SCHEMA_JSON = "application/schema+json"
QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"

CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
)


def link(request, path: str, rel: str, media_type: str, title: str = "", **query) -> dict:
    """An absolute link to ``path`` with ``query`` (values None are left out)."""
    query = {name: value for name, value in query.items() if value is not None}
    href = request.build_absolute_uri(path + (f"?{urlencode(query)}" if query else ""))
    found = {"href": href, "rel": rel, "type": media_type}
    if title:
        found["title"] = title
    return found


def self_links(request, path: str, *, json_type: str = JSON, html: bool, **query) -> list[dict]:
    """``self`` and ``alternate``: the document in the format asked, and in the other one."""
    as_json = link(request, path, "self" if not html else "alternate", json_type, f="json", **query)
    as_html = link(request, path, "self" if html else "alternate", HTML, f="html", **query)
    return [as_html, as_json] if html else [as_json, as_html]


def landing(request, *, html: bool) -> dict:
    root = reverse("ogc:landing")
    return {
        "title": gettext("Quảng Trị land release"),
        "description": gettext(
            "Hazard areas, released land, spot tasks, villages and admin units of Quảng Trị "
            "as OGC API Features."
        ),
        "links": [
            *self_links(request, root, html=html),
            link(request, reverse("ogc:api"), "service-desc", OPENAPI, gettext("API definition")),
            link(
                request, reverse("ogc:api"), "service-doc", HTML, gettext("API documentation"),
                f="html",
            ),
            link(
                request, reverse("ogc:conformance"), "conformance", JSON,
                gettext("Conformance classes"),
            ),
            link(request, reverse("ogc:collections"), "data", JSON, gettext("Collections")),
        ],
    }  # fmt: skip


def conformance(request, *, html: bool) -> dict:
    return {
        "conformsTo": list(CONFORMANCE),
        "links": self_links(request, reverse("ogc:conformance"), html=html),
    }


def collection(request, item: Collection, extent: LayerExtent, *, html: bool) -> dict:
    path = reverse("ogc:collection", args=[item.id])
    items = reverse("ogc:items", args=[item.id])
    document = {
        "id": item.id,
        "title": str(item.title),
        "description": str(item.description),
        "itemType": "feature",
        "crs": list(SUPPORTED),
        "storageCrs": CRS84,
        "extent": _extent(extent),
        "links": [
            *self_links(request, path, html=html),
            link(request, items, "items", GEOJSON, gettext("Items as GeoJSON"), f="json"),
            link(request, items, "items", HTML, gettext("Items as HTML"), f="html"),
            link(
                request, reverse("ogc:queryables", args=[item.id]), QUERYABLES_REL, SCHEMA_JSON,
                gettext("Queryables"),
            ),
        ],
    }  # fmt: skip
    return document


def _extent(extent: LayerExtent) -> dict:
    # A collection with no features in the reader's scope has no box; the whole province's
    # would claim data where there is none, so the spatial extent is left out then.
    found: dict = {}
    if extent.bbox is not None:
        found["spatial"] = {"bbox": [list(extent.bbox)], "crs": CRS84}
    if extent.first_date is not None:
        found["temporal"] = {
            "interval": [
                [
                    f"{extent.first_date.isoformat()}T00:00:00Z",
                    f"{extent.last_date.isoformat()}T23:59:59Z",
                ]
            ],
            "trs": GREGORIAN,
        }
    return found


def collections(request, described: list[dict], *, html: bool) -> dict:
    return {
        "links": self_links(request, reverse("ogc:collections"), html=html),
        "collections": described,
    }


def queryables(request, item: Collection) -> dict:
    properties = {queryable.name: queryable.schema() for queryable in item.queryables}
    if item.layer.date_columns:
        properties["datetime"] = {
            "title": gettext("Date (%(property)s)") % {"property": item.date_property},
            "type": "string",
            "format": "date",
        }
    return {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": request.build_absolute_uri(reverse("ogc:queryables", args=[item.id])),
        "type": "object",
        "title": str(item.title),
        "properties": properties,
        "additionalProperties": False,
    }
