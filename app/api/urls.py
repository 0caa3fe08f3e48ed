from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from app.accounts.permissions import CanViewData
from app.api import views
from app.records import api_views as record_api

urlpatterns = [
    # The documentation needs a signed-in user like the rest (issue 4: anonymous visitors see
    # the sign-in page only); the Swagger page fetches the schema with the session.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[CanViewData]), name="schema"),
    # The split view serves its init script as a file (docs/?script): no inline script under
    # the Content-Security-Policy (app.accounts.headers), nor an inline style (its template).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="schema",
            permission_classes=[CanViewData],
            template_name="api/swagger_ui.html",
        ),
        name="docs",
    ),
    path("auth/", include("app.accounts.api_urls")),
    path("stats/", include("app.accounting.urls")),
    # Coverage rasters of the derived land (COG), /api/v1/rasters/<layer>.tif.
    path("rasters/", include("app.rasters.urls")),
    path("uploads/", include("app.uploads.api_urls")),
    # The review queue, uploads/<id>/approve/ (reject, return, resubmit), records/.../review/.
    path("", include("app.review.api_urls")),
    path("admin-units/", views.AdminUnitList.as_view(), name="admin-unit-list"),
    path("hazards/", views.HazardList.as_view(), name="hazard-list"),
    path("releases/", views.ReleaseList.as_view(), name="release-list"),
    path("spot-tasks/", views.SpotTaskList.as_view(), name="spot-task-list"),
    path("villages/", views.VillageList.as_view(), name="village-list"),
    path("organisations/", record_api.OrganisationList.as_view(), name="organisation-list"),
    path("organisations/<slug:slug>/", record_api.organisation, name="organisation-detail"),
    path("admin-units/<int:unit_id>/", record_api.admin_unit, name="admin-unit-detail"),
    path("targets/", record_api.targets, name="target-list"),
    path("targets/<int:target_id>/", record_api.target, name="target-detail"),
    path("records/", include("app.records.api_urls")),
]
