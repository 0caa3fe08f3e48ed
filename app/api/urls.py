from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from app.api import views

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("auth/", include("app.accounts.api_urls")),
    path("stats/", include("app.accounting.urls")),
    path("uploads/", include("app.uploads.api_urls")),
    path("admin-units/", views.AdminUnitList.as_view(), name="admin-unit-list"),
    path("hazards/", views.HazardList.as_view(), name="hazard-list"),
    path("releases/", views.ReleaseList.as_view(), name="release-list"),
    path("spot-tasks/", views.SpotTaskList.as_view(), name="spot-task-list"),
    path("villages/", views.VillageList.as_view(), name="village-list"),
    path("organisations/", views.OrganisationList.as_view(), name="organisation-list"),
]
