from django.urls import path

from app.reports import views

app_name = "reports"

# The years are parsed by the views (app.reports.params), so that a wrong one is a 400 saying
# what to write rather than a 404.
urlpatterns = [
    path("annual/<str:year>/", views.annual, name="annual"),
    path("period/<str:span>/", views.period, name="period"),
]
