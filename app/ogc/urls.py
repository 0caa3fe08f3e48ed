from django.urls import path

from app.ogc import views

app_name = "ogc"

urlpatterns = [
    path("", views.Landing.as_view(), name="landing"),
    path("conformance", views.Conformance.as_view(), name="conformance"),
    path("api", views.ApiDefinition.as_view(), name="api"),
    path("collections", views.Collections.as_view(), name="collections"),
    path("collections/<str:collection_id>", views.CollectionView.as_view(), name="collection"),
    path(
        "collections/<str:collection_id>/queryables",
        views.Queryables.as_view(),
        name="queryables",
    ),
    path("collections/<str:collection_id>/items", views.Items.as_view(), name="items"),
    path(
        # path: the derived land's ids are '<unit code>/<method>'.
        "collections/<str:collection_id>/items/<path:feature_id>",
        views.Item.as_view(),
        name="item",
    ),
]
