"""/api/v1/auth/: tokens for scripts and notebooks, and who the caller is."""

from django.urls import path

from app.accounts import api_views

urlpatterns = [
    path("token/", api_views.TokenObtain.as_view(), name="auth-token"),
    path("tokens/", api_views.TokenList.as_view(), name="auth-token-list"),
    path("tokens/<int:token_id>/", api_views.TokenDetail.as_view(), name="auth-token-detail"),
    path("me/", api_views.Me.as_view(), name="auth-me"),
]
