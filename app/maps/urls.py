from django.urls import path

from app.maps import views

app_name = "maps"

urlpatterns = [
    path("coverage/", views.coverage, name="coverage"),
    path("districts/<str:code>/", views.district, name="district"),
]
