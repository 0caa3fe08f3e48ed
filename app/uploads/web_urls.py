"""The upload pages a field coordinator uses; the JSON API they call is api_urls.py."""

from django.urls import path

from app.uploads import pages

app_name = "uploads"

urlpatterns = [
    path("", pages.upload_list, name="list"),
    path("new/", pages.upload_new, name="new"),
    path("<int:upload_id>/", pages.upload_detail, name="detail"),
]
