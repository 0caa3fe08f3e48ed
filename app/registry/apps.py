from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """The store: admin units, villages, organisations, hazards, releases, spot tasks, targets."""

    name = "app.registry"
    label = "registry"
    verbose_name = "Land-release registry"
