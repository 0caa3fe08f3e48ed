from django.apps import AppConfig


class MapsConfig(AppConfig):
    name = "app.maps"
    label = "maps"
