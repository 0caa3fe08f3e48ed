"""The review pages an analyst uses; the JSON API beside them is api_urls.py."""

from django.urls import path

from app.review import pages

app_name = "review"

urlpatterns = [
    path("", pages.queue, name="queue"),
    path("<int:upload_id>/", pages.batch, name="batch"),
    path("<int:upload_id>/effect/", pages.effect, name="effect"),
    path("<int:upload_id>/decide/", pages.decide, name="decide"),
    path(
        "<int:upload_id>/records/<str:layer>/<int:record_id>/",
        pages.decide_record,
        name="record",
    ),
    path("<int:upload_id>/resubmit/", pages.resubmit, name="resubmit"),
]
