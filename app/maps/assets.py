"""Where the maps' front-end files (Leaflet & co., gis.maps.LOCAL_ASSETS) are served from."""

from django.templatetags.static import static


def vendor_asset_url(path: str) -> str:
    """The URL of ``path`` under app/maps/static/maps/vendor/, as static() names it: the file's
    own name with DEBUG on, its hashed name from collectstatic's manifest in production (a
    single prefix such as static("maps/vendor/") has no manifest entry and fails there)."""
    return static(f"maps/vendor/{path}")
