"""The box saying which records a page counts (approved only, or with submitted work), with a
link to the other choice for those who may make it: the maps draw it on the map, the dashboard
above its figures, in the same words."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from app.accounts import policy
from app.maps.params import INCLUDE_SUBMITTED
from app.registry.scopes import ReadingScope
from gis.maps import ScopeBox


def scope_box(request: HttpRequest, scope: ReadingScope) -> ScopeBox:
    """What ``scope`` counts, and a link to this page with the other choice."""
    query = request.GET.copy()
    if scope.include_submitted:
        query.pop("include", None)
        whose = (
            _("every organisation's") if scope.submitted_by is None else _("your organisation's")
        )
        return ScopeBox(
            label=_("Includes submitted work not yet approved (%(whose)s)") % {"whose": whose},
            link_text=_("Show approved records only"),
            link_url=f"{request.path}?{query.urlencode()}",
            pending=True,
        )
    if not policy.can_include_submitted(request.user):
        return ScopeBox(label=_("Approved records only"))
    query["include"] = INCLUDE_SUBMITTED
    return ScopeBox(
        label=_("Approved records only"),
        link_text=_("Show with submitted work not yet approved"),
        link_url=f"{request.path}?{query.urlencode()}",
    )
