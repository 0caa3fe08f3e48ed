from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """One record of the registry: its page, its API, its history, editing and restoring."""

    name = "app.records"
    label = "records"
