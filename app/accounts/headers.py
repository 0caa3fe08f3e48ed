"""What a view declares about its answers, and the headers that follow (issue 8).

- ``@exact_positions``: the view can answer exact coordinates of records (the GeoJSON lists, a
  record's page and API, district maps, the review page and its batch map). Its answers carry
  ``Cache-Control: no-store``, so that neither a browser's cache nor a proxy keeps a copy of
  restricted positions. ``mark_exact_positions(request)`` does the same for a view whose answer
  carries them for some readers only (the province map draws remaining-CHA polygons for those
  who see polygons). Aggregates (statistics, unit totals) need no such header.
- ``@map_page``: the view answers a Folium map, whose inline scripts carry the map (Folium writes
  them; gis.maps never imports Django). Their SHA-256 hashes are allowed in that answer's
  Content-Security-Policy, never ``'unsafe-inline'`` for scripts. Styles are a different
  matter: the maps' legend, title and scope box are ``<div style=...>`` written by gis.maps and
  Folium (16 attributes and 7 ``<style>`` blocks on the province map), so map pages keep
  ``style-src 'unsafe-inline'``, and only they; a style cannot run code. The optional
  OpenStreetMap basemap layer of the maps adds its tile host to ``img-src`` there.

Every other answer gets the strict policy: scripts, styles, fonts and requests from the site
itself; images from it and ``data:``. The pages' templates have no inline script (data goes in
``json_script`` blocks, which do not run), no inline style and no event-handler attribute.
"""

import base64
import hashlib
import re

from gis.maps import OSM_TILES_URL

EXACT_POSITIONS = "exact_positions"
MAP_PAGE = "map_page"

OSM_TILES_HOST = OSM_TILES_URL.split("/{z}")[0].replace("{s}.", "*.")

STRICT_POLICY = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
}

# An inline script runs to the first "</script" whatever follows (the HTML parsing rule); a
# script with a src has no inline text that runs.
_INLINE_SCRIPT = re.compile(r"<script(?P<attributes>[^>]*)>(?P<text>.*?)</script", re.S | re.I)
_SRC = re.compile(r"\ssrc\s*=", re.I)


def exact_positions(view):
    """Declare that ``view`` (a function or a class) answers exact coordinates: no-store."""
    setattr(view, EXACT_POSITIONS, True)
    return view


def map_page(view):
    """Declare that ``view`` answers a Folium map page (the map's policy, above)."""
    setattr(view, MAP_PAGE, True)
    return view


def mark_exact_positions(request) -> None:
    """This answer carries exact coordinates although its view does not always (no-store)."""
    setattr(request, EXACT_POSITIONS, True)


def declared(view_func, flag: str) -> bool:
    """Whether the view, or the class behind a class-based view, declares ``flag``."""
    for holder in (
        view_func,
        getattr(view_func, "cls", None),  # rest_framework's as_view() and @api_view
        getattr(view_func, "view_class", None),  # Django's as_view()
    ):
        if holder is not None and getattr(holder, flag, False):
            return True
    return False


def content_security_policy(*, map_html: str | None = None) -> str:
    """The header's value: the strict policy, or a map page's with the hashes of the inline
    scripts in ``map_html``."""
    policy = {directive: list(sources) for directive, sources in STRICT_POLICY.items()}
    if map_html is not None:
        policy["script-src"] += [f"'sha256-{digest}'" for digest in inline_script_hashes(map_html)]
        policy["style-src"].append("'unsafe-inline'")
        policy["img-src"].append(OSM_TILES_HOST)
    return "; ".join(f"{directive} {' '.join(sources)}" for directive, sources in policy.items())


def inline_script_hashes(html: str) -> list[str]:
    """Base64 SHA-256 of each inline script's text as a browser hashes it (UTF-8, line ends
    normalised to LF by the HTML parser), in order, without repeats."""
    digests = []
    for match in _INLINE_SCRIPT.finditer(html):
        if _SRC.search(match["attributes"]):
            continue
        text = match["text"].replace("\r\n", "\n").replace("\r", "\n")
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        if digest not in digests:
            digests.append(digest)
    return digests
