from django.apps import AppConfig


class AccountingConfig(AppConfig):
    name = "app.accounting"
    label = "accounting"
