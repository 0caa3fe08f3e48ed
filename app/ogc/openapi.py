"""The OpenAPI 3.0 definition of /ogc/ (the landing page's ``service-desc``), written here rather
than generated: the items' parameters differ per collection (each its queryables), which the
standard describes as one path per collection."""

from django.conf import settings
from django.urls import reverse

from app.ogc.collections import COLLECTIONS, Collection
from app.ogc.crs import CRS84, SUPPORTED
from app.ogc.documents import GEOJSON, HTML, JSON, OPENAPI, SCHEMA_JSON
from gis.exports import FORMATS as EXPORTS

EXCEPTION = {
    "type": "object",
    "required": ["code"],
    "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
}

ERRORS = {
    status: {
        "description": description,
        "content": {JSON: {"schema": {"$ref": "#/components/schemas/exception"}}},
    }
    for status, description in (
        ("400", "A parameter is invalid; description says what to send instead."),
        ("401", "Not authenticated (token header, session or HTTP Basic)."),
        ("403", "The account may not read this (e.g. aggregates only)."),
        ("404", "No such collection or feature."),
    )
}


def _parameter(name: str, description: str, schema: dict, *, where="query", required=False):
    return {
        "name": name,
        "in": where,
        "required": required,
        "description": description,
        "schema": schema,
        "style": "form",
        "explode": False,
    }


F = _parameter(
    "f", "json (default for clients) or html.", {"type": "string", "enum": ["json", "html"]}
)
F_ITEMS = _parameter(
    "f",
    "json (default for clients) or html: one page; gpkg, shp (zipped), csv, xlsx or kml: a file "
    "of every feature the filters select (without limit, offset or status), in crs.",
    {"type": "string", "enum": ["json", "html", *EXPORTS]},
)
# The files of f=gpkg and so on: binary or text, whatever their media type.
FILES = {
    export.media_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
    for export in EXPORTS.values()
}
CRS_ENUM = {"type": "string", "format": "uri", "enum": list(SUPPORTED), "default": CRS84}


def _items_parameters(collection: Collection) -> list[dict]:
    parameters = [
        F_ITEMS,
        _parameter(
            "limit",
            "Features per page (default 100); more than the maximum is clamped to it.",
            # The maximum tells clients (GDAL, QGIS) the largest page worth asking for.
            {"type": "integer", "minimum": 1, "maximum": settings.OGC_MAX_LIMIT, "default": 100},
        ),
        _parameter("offset", "Features to skip, in id order.", {"type": "integer", "minimum": 0}),
        _parameter(
            "bbox",
            "minx,miny,maxx,maxy in the axis order of bbox-crs (CRS84: lon/lat).",
            {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}},
        ),
        _parameter("bbox-crs", "CRS of bbox.", CRS_ENUM),
        _parameter("crs", "CRS of the features' coordinates (Content-Crs answers it).", CRS_ENUM),
    ]
    if collection.layer.date_columns:
        parameters.append(
            _parameter(
                "datetime",
                f"Date ({collection.date_property}): an instant or start/end with .. open ends.",
                {"type": "string"},
            )
        )
    if collection.reviewed:
        parameters.append(
            _parameter(
                "include",
                "submitted: pending work too (analysts; a field coordinator's own organisation).",
                {"type": "string", "enum": ["submitted"]},
            )
        )
    parameters += [_parameter(q.name, str(q.title), q.schema()) for q in collection.queryables]
    if collection.derived_land:
        parameters += DERIVED_LAND
    return parameters


DERIVED_LAND = [
    _parameter(
        "as_of", "The land as of this day (default today).", {"type": "string", "format": "date"}
    ),
    _parameter(
        "boundary_set",
        "Units of 2025 (default) or of 2019.",
        {"type": "string", "enum": ["2025", "2019"]},
    ),
    _parameter(
        "level",
        "Units the land is dissolved per: commune (default) or province for 2025; district "
        "(default) or province for 2019.",
        {"type": "string", "enum": ["commune", "district", "province"]},
    ),
]


def _get(summary: str, content: dict, parameters: list, operation_id: str) -> dict:
    return {
        "get": {
            "summary": summary,
            "operationId": operation_id,
            "parameters": parameters,
            "responses": {"200": {"description": summary, "content": content}, **ERRORS},
        }
    }


def definition(request) -> dict:
    any_object = {"schema": {"type": "object"}}
    html = {HTML: {"schema": {"type": "string"}}}
    paths = {
        reverse("ogc:landing"): _get("Landing page", {JSON: any_object, **html}, [F], "landing"),
        reverse("ogc:conformance"): _get(
            "Conformance classes", {JSON: any_object, **html}, [F], "conformance"
        ),
        reverse("ogc:api"): _get("This API definition", {OPENAPI: any_object, **html}, [F], "api"),
        reverse("ogc:collections"): _get(
            "The collections", {JSON: any_object, **html}, [F], "collections"
        ),
    }
    for collection in COLLECTIONS.values():
        name = collection.id.replace("-", "_")
        paths[reverse("ogc:collection", args=[collection.id])] = _get(
            str(collection.title), {JSON: any_object, **html}, [F], f"describe_{name}"
        )
        paths[reverse("ogc:queryables", args=[collection.id])] = _get(
            f"Queryables of {collection.id}", {SCHEMA_JSON: any_object, **html}, [F],
            f"queryables_{name}",
        )  # fmt: skip
        paths[reverse("ogc:items", args=[collection.id])] = _get(
            f"Features of {collection.id}",
            {
                GEOJSON: {"schema": {"$ref": "#/components/schemas/featureCollection"}},
                **html,
                **FILES,
            },
            _items_parameters(collection),
            f"items_{name}",
        )
        paths[f"{reverse('ogc:items', args=[collection.id])}/{{featureId}}"] = _get(
            f"One feature of {collection.id}",
            {GEOJSON: any_object, **html},
            [
                _parameter(
                    "featureId", "The feature's id.", {"type": "string"}, where="path",
                    required=True,
                ),
                F,
                _parameter("crs", "CRS of the coordinates.", CRS_ENUM),
                *(DERIVED_LAND if collection.derived_land else []),
            ],
            f"item_{name}",
        )  # fmt: skip
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "landrelease OGC API Features",
            "version": "1.0",
            "description": (
                "Hazard areas, released land, spot tasks, villages and admin units of Quảng Trị. "
                "Areas (area_ha) are geodesic hectares on the WGS 84 ellipsoid."
            ),
        },
        "servers": [{"url": request.build_absolute_uri("/").rstrip("/")}],
        "components": {
            "securitySchemes": {
                "token": {"type": "apiKey", "in": "header", "name": "Authorization"},
                "basic": {"type": "http", "scheme": "basic"},
            },
            "schemas": {
                "exception": EXCEPTION,
                "featureCollection": {
                    "type": "object",
                    "required": ["type", "features"],
                    "properties": {
                        "type": {"type": "string", "enum": ["FeatureCollection"]},
                        "features": {"type": "array", "items": {"type": "object"}},
                        "numberMatched": {"type": "integer", "minimum": 0},
                        "numberReturned": {"type": "integer", "minimum": 0},
                        "timeStamp": {"type": "string", "format": "date-time"},
                        "links": {"type": "array", "items": {"type": "object"}},
                    },
                },
            },
        },
        "security": [{"token": []}, {"basic": []}],
        "paths": paths,
    }
