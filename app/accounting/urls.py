from django.urls import path

from app.accounting import views

urlpatterns = [
    path("clearance/", views.clearance_stats, name="stats-clearance"),
    path("release/", views.release_stats, name="stats-release"),
    path("progress/", views.progress_stats, name="stats-progress"),
    path("forecast/", views.forecast_stats, name="stats-forecast"),
]
