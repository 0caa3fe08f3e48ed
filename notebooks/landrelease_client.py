"""A small reader of the landrelease API for the analysts' notebooks beside it.

The notebooks read the site as any client does, over HTTP with a token, never the database:

- ``LANDRELEASE_URL``: the site, e.g. ``http://127.0.0.1:8000`` (``make demo``'s address, the
  default);
- ``LANDRELEASE_TOKEN``: an API token, made on your profile page (Profile > API tokens) or with
  ``POST /api/v1/auth/token/``. It is sent as ``Authorization: Token <key>``.

Only the standard library, pandas and geopandas: nothing to install beyond ``make venv``.
"""

import json
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request

import geopandas as gpd

BASE_URL = os.environ.get("LANDRELEASE_URL", "http://127.0.0.1:8000").rstrip("/")


def _token() -> str:
    token = os.environ.get("LANDRELEASE_TOKEN", "")
    if not token:
        raise RuntimeError(
            "Set LANDRELEASE_TOKEN to an API token (Profile > API tokens on the site, or "
            "POST /api/v1/auth/token/), then run the notebook again."
        )
    return token


def url(path: str, **params) -> str:
    """The site's URL of ``path`` (``/api/v1/...`` or ``/ogc/...``) with these query parameters;
    parameters whose value is None are left out."""
    query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
    return f"{BASE_URL}{path}" + (f"?{query}" if query else "")


def get_bytes(address: str, *, accept: str = "application/json") -> bytes:
    """The body of a GET, with the token. A refusal raises with the API's own message."""
    request = urllib.request.Request(
        address, headers={"Authorization": f"Token {_token()}", "Accept": accept}
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        message = error.read().decode(errors="replace")
        raise RuntimeError(f"{address}: {error.code} {message}") from None


def get_json(path: str, **params) -> dict:
    return json.loads(get_bytes(url(path, **params)))


def features(path: str, **params) -> gpd.GeoDataFrame:
    """Every feature of a GeoJSON list (``/api/v1/releases/``, ``/ogc/collections/<id>/items``)
    with these filters, following the ``next`` links to the last page, as a GeoDataFrame in
    WGS 84 (the lists' coordinates are lon/lat)."""
    collected: list[dict] = []
    address: str | None = url(path, **params)
    while address:
        page = json.loads(get_bytes(address, accept="application/geo+json"))
        collected.extend(page["features"])
        address = next(
            (link["href"] for link in page.get("links", []) if link.get("rel") == "next"), None
        )
    frame = gpd.GeoDataFrame.from_features(collected, crs="EPSG:4326")
    frame.index = [feature.get("id") for feature in collected]
    return frame


def gdal_http_options() -> dict[str, str]:
    """GDAL configuration for its OAPIF driver (``pyogrio.read_dataframe("OAPIF:<url>/ogc/",
    layer=...)``), QGIS's engine: the token as a header, from a file only you can read.

    A file, not ``GDAL_HTTP_HEADERS``: the OAPIF driver of the GDAL inside pyogrio (3.12) sends
    its own Accept header in place of those (Debian's ogr2ogr, GDAL 3.6, takes either)."""
    descriptor, path = tempfile.mkstemp(prefix="landrelease-headers-", suffix=".txt")
    with os.fdopen(descriptor, "w") as headers:
        headers.write(f"Authorization: Token {_token()}\n")
    return {"GDAL_HTTP_HEADER_FILE": path}
