from django.contrib import admin
from django.urls import include, path

from app.dashboard.views import home
from app.health.views import healthz
from app.maps.tile_views import tile

# JSON under /api/, the site's page elsewhere.
handler404 = "app.api.errors.not_found"

urlpatterns = [
    # Signed-in users land on the dashboard; anonymous visitors on the province map.
    path("", home, name="home"),
    path("dashboard/", include("app.dashboard.urls")),
    path("api/v1/", include("app.api.urls")),
    path("maps/", include("app.maps.urls")),
    # The annual and period report: a printable page, PDF or Word (app.reports).
    path("reports/", include("app.reports.urls")),
    # OGC API Features for QGIS and GDAL (app.ogc).
    path("ogc/", include("app.ogc.urls")),
    # The maps' vector tiles (app.maps.tile_views); z, x and y are checked there (400, not 404).
    path("tiles/<str:layer>/<str:z>/<str:x>/<str:y>.mvt", tile, name="tile"),
    path("uploads/", include("app.uploads.web_urls")),
    path("review/", include("app.review.urls")),
    path("records/", include("app.records.web_urls")),
    path("accounts/", include("app.accounts.urls")),
    # set_language: the language switch of the sign-in page (signed-in users save theirs on the
    # profile, app.accounts.views.language).
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # For monitors: no sign-in, no data (app.health).
    path("healthz", healthz, name="healthz"),
]
