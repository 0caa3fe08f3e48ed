"""Where the front-end files are served from: the maps' (Leaflet & co., gis.maps.LOCAL_ASSETS)
and the dashboard's charting library (Chart.js, CHART_JS), all copied from npm by
``manage.py collect_map_assets`` so that no page loads anything from a CDN."""

from django.templatetags.static import static

# The dashboard's charts (app.dashboard): Chart.js's UMD build, which bundles its one
# dependency (@kurkle/color) and defines window.Chart.
CHART_JS = "chart.js/chart.umd.js"


def vendor_asset_url(path: str) -> str:
    """The URL of ``path`` under app/maps/static/maps/vendor/, as static() names it: the file's
    own name with DEBUG on, its hashed name from collectstatic's manifest in production (a
    single prefix such as static("maps/vendor/") has no manifest entry and fails there)."""
    return static(f"maps/vendor/{path}")
