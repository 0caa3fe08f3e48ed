from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "app.review"
    label = "review"
    verbose_name = "Review of submitted records"
