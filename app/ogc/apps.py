from django.apps import AppConfig


class OgcConfig(AppConfig):
    name = "app.ogc"
    label = "ogc"
