"""rest_framework permission classes over app.accounts.policy, one per kind of access."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from app.accounts import policy


class CanViewData(BasePermission):
    """Every data endpoint: a user with a role (view_data)."""

    message = _("sign in with a role that may read data")

    def has_permission(self, request, view):
        return policy.can_view_data(request.user)


class CanViewDataOrPublicSummary(BasePermission):
    """Statistics: any role, or anyone when PUBLIC_SUMMARY is on (the view then limits the
    answer to province and district aggregates)."""

    message = _("sign in to see statistics")

    def has_permission(self, request, view):
        return policy.can_view_data(request.user) or policy.can_use_public_summary(request.user)


class CanSeePolygons(BasePermission):
    """Exact polygons of hazards and releases: not for aggregates-only users."""

    message = _("your account shows aggregates only, not exact polygons")

    def has_permission(self, request, view):
        return policy.sees_polygons(request.user)


class CanReview(BasePermission):
    message = _("only analysts review submissions")

    def has_permission(self, request, view):
        return policy.can_review(request.user)
