"""The review endpoints under /api/v1/: the queue, the batch decisions beside the upload's own
endpoints, and the decision on one record beside the records API (app.records)."""

from django.urls import path

from app.review import api_views

urlpatterns = [
    path("review/", api_views.review_queue, name="review-queue"),
    path("uploads/<int:upload_id>/approve/", api_views.approve, name="upload-approve"),
    path("uploads/<int:upload_id>/reject/", api_views.reject, name="upload-reject"),
    path("uploads/<int:upload_id>/return/", api_views.send_back, name="upload-return"),
    path("uploads/<int:upload_id>/resubmit/", api_views.resubmit, name="upload-resubmit"),
    path(
        "records/<str:layer>/<int:record_id>/review/",
        api_views.review_record,
        name="record-review",
    ),
]
