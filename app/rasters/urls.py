from django.urls import path

from app.rasters import views

urlpatterns = [
    path("<str:layer>.tif", views.coverage_raster_file, name="coverage-raster"),
]
