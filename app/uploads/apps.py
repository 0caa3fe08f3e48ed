from django.apps import AppConfig


class UploadsConfig(AppConfig):
    """Uploads: a file checked in the background, reported, then committed or reverted whole."""

    name = "app.uploads"
    label = "uploads"
