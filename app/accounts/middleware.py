"""Pages need a signed-in user; anonymous visitors are sent to the sign-in page.

The API answers for itself (401/403 as JSON, rest_framework's permissions), so /api/ passes
through here. With PUBLIC_SUMMARY on, the paths in PUBLIC_SUMMARY_PATHS are open too; their
views show aggregates only to anonymous visitors (app.accounts.policy.can_use_public_summary).
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login

OPEN_PREFIXES = ("/accounts/login/", "/static/", "/api/", "/i18n/", "/admin/", "/healthz")
PUBLIC_SUMMARY_PATHS = ("/maps/coverage/", "/public/")


class SignInRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            request.user.is_authenticated
            or path.startswith(OPEN_PREFIXES)
            or (settings.PUBLIC_SUMMARY and path.startswith(PUBLIC_SUMMARY_PATHS))
        ):
            return self.get_response(request)
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
