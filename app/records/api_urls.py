"""/api/v1/records/<layer>/<id>/...: one record, its history and the hand-made changes."""

from django.urls import path

from app.records import api_views

urlpatterns = [
    path("<str:layer>/<int:record_id>/", api_views.record, name="record"),
    path(
        "<str:layer>/<int:record_id>/undelete/", api_views.record_undelete, name="record-undelete"
    ),
    path("<str:layer>/<int:record_id>/history/", api_views.record_history, name="record-history"),
    path(
        "<str:layer>/<int:record_id>/history/<int:version_id>/restore/",
        api_views.record_restore,
        name="record-restore",
    ),
]
