"""OGC API Features (Parts 1, 2 and 3's queryables) at /ogc/: thin views that parse the query,
call the feature selectors of /api/v1 (the same layers, scopes and permissions as its lists) and
answer JSON, GeoJSON or HTML.

DRF views with the project's authentication classes (token, session, and whatever is added to
DEFAULT_AUTHENTICATION_CLASSES), so an anonymous request is a 401 with a challenge. The items
are the text PostGIS built; HTML pages parse one page of it to draw their table.
"""

import orjson
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from app.accounts import policy
from app.accounts.headers import mark_exact_positions
from app.accounts.permissions import CanViewData
from app.accounts.rate_limits import ExpensiveEndpointThrottle, FeaturePagesThrottle
from app.api.negotiation import AnswerWhateverIsAccepted
from app.api.selectors import layers
from app.api.selectors.features import (
    FeatureFilters,
    LayerExtent,
    layer_extent,
)
from app.exports.responses import ExportRefused, export_response
from app.ogc import documents, errors, openapi
from app.ogc.collections import COLLECTIONS, Collection
from app.ogc.params import (
    DERIVED_LAND_PARAMETERS,
    EXPORT_FORMATS,
    FORMATS,
    InvalidParameter,
    check_known,
    crs_param,
    derived_land_param,
    export_format,
    include_submitted,
    items_query,
    wants_html,
)
from app.ogc.selectors import export_sources, items_page
from app.registry.scopes import reading


class OgcView(APIView):
    renderer_classes = [JSONRenderer]
    # Answers whatever the Accept header says (never a 406): the format is chosen below.
    content_negotiation_class = AnswerWhateverIsAccepted
    permission_classes = [CanViewData]
    # Out of /api/v1's generated schema: /ogc/api is this service's own definition.
    schema = None
    # The query parameters the view takes; None: it checks them itself (they depend on the
    # collection).
    accepted: tuple[str, ...] | None = ("f",)
    # The values of ``f`` the view answers.
    formats: tuple[str, ...] = FORMATS

    def get_exception_handler(self):
        return errors.exception_handler

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.accepted is not None:
            check_known(request.GET, self.accepted)
        self.html = wants_html(request, self.formats)

    def answer(self, request, document: dict, template: str, *, media_type=documents.JSON, **extra):
        if self.html:
            return render(request, f"ogc/{template}.html", {"document": document, **extra})
        return HttpResponse(orjson.dumps(document), content_type=media_type)


def visible_collections(user) -> list[Collection]:
    """Those of exact positions only for users who see polygons: an aggregates-only account
    lists the admin units alone."""
    sees_polygons = policy.sees_polygons(user)
    return [c for c in COLLECTIONS.values() if sees_polygons or not c.exact_positions]


def collection_for(user, collection_id: str) -> Collection:
    collection = COLLECTIONS.get(collection_id)
    if collection is None:
        raise errors.NotFound(
            gettext("no collection %(id)r; the collections are listed at /ogc/collections")
            % {"id": collection_id}
        )
    if collection.exact_positions and not policy.sees_polygons(user):
        raise policy.NotAllowed(
            gettext(
                "your account shows aggregates only: collection %(id)s holds exact positions; "
                "yours are %(allowed)s"
            )
            % {
                "id": collection_id,
                "allowed": ", ".join(c.id for c in visible_collections(user)),
            }
        )
    return collection


class Landing(OgcView):
    def get(self, request):
        return self.answer(request, documents.landing(request, html=self.html), "landing")


class Conformance(OgcView):
    def get(self, request):
        return self.answer(request, documents.conformance(request, html=self.html), "conformance")


class ApiDefinition(OgcView):
    def get(self, request):
        definition = openapi.definition(request)
        if self.html:
            return render(request, "ogc/api.html", {"json_url": f"{request.path}?f=json"})
        return HttpResponse(orjson.dumps(definition), content_type=documents.OPENAPI)


def _described(request, collection: Collection, *, html: bool, include: bool) -> dict:
    scope = policy.reading_scope(request.user, include_submitted=include)
    with reading(scope):
        if collection.derived_land:
            # The derived land lies within the CHA: its box, without computing the land (the
            # land depends on as_of and the units asked for; its dates are as_of alone).
            cha = layer_extent(layers.HAZARDS, filters=FeatureFilters(kind="CHA"))
            extent = LayerExtent(bbox=cha.bbox, first_date=None, last_date=None)
        else:
            extent = layer_extent(
                collection.layer, filters=FeatureFilters(**collection.fixed_filters)
            )
    return documents.collection(request, collection, extent, html=html)


class Collections(OgcView):
    accepted = ("f", "include")

    def get(self, request):
        include = include_submitted(request.GET)
        described = [
            _described(request, collection, html=self.html, include=include)
            for collection in visible_collections(request.user)
        ]
        return self.answer(
            request, documents.collections(request, described, html=self.html), "collections"
        )


class CollectionView(OgcView):
    accepted = ("f", "include")

    def get(self, request, collection_id):
        collection = collection_for(request.user, collection_id)
        include = include_submitted(request.GET)
        document = _described(request, collection, html=self.html, include=include)
        return self.answer(request, document, "collection")


class Queryables(OgcView):
    def get(self, request, collection_id):
        collection = collection_for(request.user, collection_id)
        document = documents.queryables(request, collection)
        return self.answer(
            request, document, "queryables", media_type=documents.SCHEMA_JSON,
            collection=collection,
        )  # fmt: skip


class Items(OgcView):
    """One page of a collection, in the user's reading scope (approved records unless
    ``include=submitted``) or in one review ``status`` as far as the user may see it: the rule
    of the /api/v1 lists (app.api.views.FeatureListView)."""

    throttle_classes = [FeaturePagesThrottle]
    accepted = None  # items_query checks them
    formats = FORMATS + EXPORT_FORMATS

    def get_throttles(self):
        # A file of every feature costs what a report does; a page, what a tile does.
        if self.request.GET.get("f") in EXPORT_FORMATS:
            return [ExpensiveEndpointThrottle()]
        return super().get_throttles()

    def get(self, request, collection_id):
        collection = collection_for(request.user, collection_id)
        query = items_query(collection, request.GET)
        scope = policy.reading_scope(request.user, include_submitted=query.include_submitted)
        if query.filters.status is not None:
            policy.check_status_filter(request.user, query.filters.status)
        if collection.exact_positions:
            mark_exact_positions(request._request)
        fmt = export_format(request.GET)
        if fmt is not None:
            return _export(request, collection, query, fmt=fmt, scope=scope)
        with reading(scope):
            page = items_page(
                collection,
                filters=query.filters,
                limit=query.limit,
                offset=query.offset,
                visibility=policy.record_visibility(request.user),
                output_crs=query.crs.output,
                derived=query.derived_land,
            )
        links = _page_links(request, collection, page, html=self.html)
        if self.html:
            return render(
                request,
                "ogc/items.html",
                {
                    "collection": collection,
                    "page": page,
                    "features": orjson.loads(f"[{page.features_json}]"),
                    "links": {link["rel"]: link["href"] for link in links},
                    "crs": query.crs.uri,
                    "downloads": export_links(request, collection),
                },
            )
        envelope = orjson.dumps(
            {
                "type": "FeatureCollection",
                "numberMatched": page.number_matched,
                "numberReturned": page.number_returned,
                "timeStamp": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
                "links": links,
            }
        )
        content = b"".join((envelope[:-1], b',"features":[', page.features_json.encode(), b"]}"))
        response = HttpResponse(content, content_type=documents.GEOJSON)
        response["Content-Crs"] = f"<{query.crs.uri}>"
        return response


def _export(request, collection: Collection, query, *, fmt: str, scope) -> FileResponse:
    """Every feature of ``collection`` the query selects, as a file in the query's ``crs``."""
    source, joined = export_sources(collection, query.derived_land)
    try:
        response = export_response(
            layer=collection.layer,
            filters=query.filters,
            fmt=fmt,
            crs=query.crs.output.srid,
            scope=scope,
            user=request.user,
            collection=collection.id,
            source=source,
            joined=joined,
        )
    except ExportRefused as refused:
        raise InvalidParameter(
            "f" if refused.parameter == "format" else refused.parameter, refused.message
        ) from None
    if fmt != "kml":  # KML is WGS 84 lon/lat whatever is asked (app.exports)
        response["Content-Crs"] = f"<{query.crs.uri}>"
    return response


def export_links(request, collection: Collection) -> dict[str, str]:
    """The files of what this page's filters select, by format: the query without the paging
    parameters, with ``f``."""
    query = {
        name: value
        for name, value in request.GET.items()
        if name not in ("f", "limit", "offset", "status")
    }
    path = reverse("ogc:items", args=[collection.id])
    return {
        fmt: documents.link(request, path, "enclosure", "", f=fmt, **query)["href"]
        for fmt in EXPORT_FORMATS
    }


def _page_links(request, collection: Collection, page, *, html: bool) -> list[dict]:
    path = request.path
    query = {name: value for name, value in request.GET.items() if name not in ("f", "offset")}
    query["limit"] = str(page.limit)

    def page_link(rel: str, media_type: str, f: str, offset: int) -> dict:
        return documents.link(request, path, rel, media_type, f=f, offset=offset, **query)

    own = ("html", documents.HTML) if html else ("json", documents.GEOJSON)
    other = ("json", documents.GEOJSON) if html else ("html", documents.HTML)
    links = [
        page_link("self", own[1], own[0], page.offset),
        page_link("alternate", other[1], other[0], page.offset),
    ]
    if page.offset + page.number_returned < page.number_matched:
        links.append(page_link("next", own[1], own[0], page.offset + page.limit))
    if page.offset > 0:
        links.append(page_link("prev", own[1], own[0], max(0, page.offset - page.limit)))
    links.append(
        documents.link(
            request, reverse("ogc:collection", args=[collection.id]), "collection",
            documents.JSON, str(collection.title), f="json",
        )
    )  # fmt: skip
    return links


class Item(OgcView):
    accepted = None  # the derived land's items take its parameters too: checked in get

    def get(self, request, collection_id, feature_id):
        collection = collection_for(request.user, collection_id)
        accepted = ("f", "crs", "include")
        if collection.derived_land:
            accepted += DERIVED_LAND_PARAMETERS
        check_known(request.GET, accepted)
        values = {name: request.GET[name] for name in accepted if request.GET.get(name)}
        derived = derived_land_param(collection.derived_land, values)
        crs = crs_param("crs", request.GET.get("crs") or None)
        include = include_submitted(request.GET) if collection.reviewed else False
        not_found = errors.NotFound(
            gettext("collection %(collection)s has no feature %(id)r you may see")
            % {"collection": collection_id, "id": feature_id}
        )
        if derived is None and (not feature_id.isdigit() or len(feature_id) > 18):
            raise not_found
        if collection.exact_positions:
            mark_exact_positions(request._request)
        scope = policy.reading_scope(request.user, include_submitted=include)
        with reading(scope):
            page = items_page(
                collection,
                filters=FeatureFilters(
                    **collection.fixed_filters,
                    feature_id=feature_id if derived else int(feature_id),
                ),
                limit=1,
                offset=0,
                visibility=policy.record_visibility(request.user),
                output_crs=crs.output,
                derived=derived,
            )
        if page.number_returned == 0:
            raise not_found
        path = request.path
        links = [
            *documents.self_links(
                request, path, json_type=documents.GEOJSON, html=self.html,
                **{name: values.get(name) for name in accepted if name != "f"},
            ),
            documents.link(
                request, reverse("ogc:collection", args=[collection.id]), "collection",
                documents.JSON, str(collection.title), f="json",
            ),
        ]  # fmt: skip
        if self.html:
            return render(
                request,
                "ogc/item.html",
                {
                    "collection": collection,
                    "feature": orjson.loads(page.features_json),
                    "links": {link["rel"]: link["href"] for link in links},
                    "crs": crs.uri,
                },
            )
        feature = page.features_json.encode()
        content = b"".join((feature[:-1], b',"links":', orjson.dumps(links), b"}"))
        response = HttpResponse(content, content_type=documents.GEOJSON)
        response["Content-Crs"] = f"<{crs.uri}>"
        return response
