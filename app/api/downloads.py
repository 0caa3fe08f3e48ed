"""Links to the API's files for the pages' download buttons: the feature exports
(``/api/v1/<layer>/?format=gpkg|shp|csv|xlsx|kml``, with the list's filters) and the statistics
(``/api/v1/stats/<report>/?format=csv|xlsx``), each with the query of what the page shows.

Who gets which links is the API's own rule, asked of app.accounts.policy here so that a page
never offers a file its reader would be refused: feature files carry exact positions (those who
see polygons), statistics go to whoever may read them. The pages render the links with the
template ``downloads/_links.html``.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

from app.accounts import policy

FEATURE_FORMATS = (
    ("gpkg", "GeoPackage"),
    ("shp", _("Shapefile (zip)")),
    ("csv", "CSV"),
    ("xlsx", "Excel"),
    ("kml", "KML"),
)
STATISTICS_FORMATS = (("csv", "CSV"), ("xlsx", "Excel"))
# The feature lists of /api/v1/ that export (app.api.urls); targets have no geometry.
FEATURE_LAYERS = ("hazards", "releases", "spot-tasks", "villages", "admin-units")
STATISTICS_REPORTS = ("release", "clearance", "progress", "forecast")


@dataclass(frozen=True)
class Download:
    label: str
    url: str


@dataclass(frozen=True)
class DownloadGroup:
    """One line of buttons: what the files hold (``title``), one link per format."""

    title: str
    links: tuple[Download, ...]


def _links(base_url: str, query: dict, formats) -> tuple[Download, ...]:
    kept = {name: value for name, value in query.items() if value not in (None, "")}
    return tuple(
        Download(label=str(label), url=f"{base_url}?{urlencode({**kept, 'format': name})}")
        for name, label in formats
    )


def feature_downloads(user, *, layer: str, title: str, query: dict) -> DownloadGroup | None:
    """The exports of ``layer`` filtered by ``query`` (the list's parameters), or None for a
    reader who may not have exact positions."""
    if layer not in FEATURE_LAYERS or not policy.sees_polygons(user):
        return None
    return DownloadGroup(title=title, links=_links(f"/api/v1/{layer}/", query, FEATURE_FORMATS))


def statistics_downloads(
    user, *, report: str, by: str, title: str, query: dict
) -> DownloadGroup | None:
    """The statistics ``report`` grouped ``by`` with ``query``, for those who may read them."""
    if report not in STATISTICS_REPORTS or not policy.can_read_statistics(user, by=by):
        return None
    return DownloadGroup(
        title=title, links=_links(f"/api/v1/stats/{report}/", query, STATISTICS_FORMATS)
    )


def present(*groups: DownloadGroup | None) -> list[DownloadGroup]:
    """The groups the reader may have, for the template."""
    return [group for group in groups if group is not None]


def include_query(*, include_submitted: bool) -> dict:
    """``include=submitted`` when the page counts pending work, so the file counts the same."""
    return {"include": "submitted"} if include_submitted else {}
