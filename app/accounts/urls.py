"""The sign-in and profile pages; the token API is api_urls.py."""

from django.urls import path

from app.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/language/", views.language, name="language"),
    path("profile/tokens/", views.token_create, name="token-create"),
    path("profile/tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
]
