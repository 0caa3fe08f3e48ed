from django.urls import path

from app.uploads import api_views

urlpatterns = [
    path("", api_views.uploads, name="upload-list"),
    path("<int:upload_id>/", api_views.upload_detail, name="upload-detail"),
    path("<int:upload_id>/commit/", api_views.upload_commit, name="upload-commit"),
    path("<int:upload_id>/revert/", api_views.upload_revert, name="upload-revert"),
    path("<int:upload_id>/discard/", api_views.upload_discard, name="upload-discard"),
    path("<int:upload_id>/original/", api_views.upload_original, name="upload-original"),
]
