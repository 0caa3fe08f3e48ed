from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "app.reports"
    label = "reports"
