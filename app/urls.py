from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(url="/maps/coverage/", permanent=False)),
    path("api/v1/", include("app.api.urls")),
    path("maps/", include("app.maps.urls")),
    path("uploads/", include("app.uploads.web_urls")),
    path("admin/", admin.site.urls),
]
