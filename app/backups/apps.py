from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """Backups: the database and the upload files in one file, restored into an empty site."""

    name = "app.backups"
    label = "backups"
