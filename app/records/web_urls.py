"""/records/: the lists of records and reference data; /records/<layer>/<id>/: a record's page
and the forms on it."""

from django.urls import path

from app.records import list_pages, pages

app_name = "records"

urlpatterns = [
    path("", list_pages.records_index, name="list-index"),
    path("organisations/", list_pages.organisations, name="organisations"),
    path("organisations/new/", list_pages.create_organisation, name="organisation-create"),
    path("targets/new/", list_pages.create_target, name="target-create"),
    path("<str:layer>/", list_pages.record_list, name="list"),
    path("<str:layer>/<int:record_id>/", pages.record_detail, name="detail"),
    path("<str:layer>/<int:record_id>/edit/", pages.record_edit, name="edit"),
    path("<str:layer>/<int:record_id>/delete/", pages.record_delete, name="delete"),
    path("<str:layer>/<int:record_id>/undelete/", pages.record_undelete, name="undelete"),
    path(
        "<str:layer>/<int:record_id>/history/<int:version_id>/restore/",
        pages.record_restore,
        name="restore",
    ),
]
