from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "app.demo"
    label = "demo"
