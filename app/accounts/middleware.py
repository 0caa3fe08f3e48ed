"""Pages need a signed-in user; anonymous visitors are sent to the sign-in page. And the
security headers every answer carries (SecurityHeadersMiddleware).

The API answers for itself (401/403 as JSON, rest_framework's permissions), so /api/ passes
through here, and so do the maps' vector tiles (/tiles/, a 403 in JSON: a redirect to a page is
no answer to a tile request). With PUBLIC_SUMMARY on, the paths in PUBLIC_SUMMARY_PATHS are open
too; their views show aggregates only to anonymous visitors
(app.accounts.policy.can_use_public_summary).
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login

from app.accounts import headers

OPEN_PREFIXES = (
    "/accounts/login/",
    "/static/",
    "/api/",
    # OGC API Features answer for themselves too (401 with a challenge, app.ogc).
    "/ogc/",
    "/tiles/",
    "/i18n/",
    "/admin/",
    "/healthz",
)
PUBLIC_SUMMARY_PATHS = ("/maps/coverage/", "/public/")
# The health check of issue 8 (a supervisor's, not a browser's): no header of ours.
UNTOUCHED_PATHS = ("/healthz",)


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


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every answer, ``Cache-Control: no-store`` on those that carry
    exact coordinates: both follow from what the view declares (app.accounts.headers). After
    GZipMiddleware in MIDDLEWARE, so that a map page's scripts are hashed before compression.
    ``/healthz`` passes untouched (its JSON is for a supervisor, not a browser)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") in UNTOUCHED_PATHS:
            return self.get_response(request)
        response = self.get_response(request)
        if getattr(request, headers.EXACT_POSITIONS, False):
            response["Cache-Control"] = "no-store"
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = headers.content_security_policy(
                map_html=_map_html(request, response)
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if headers.declared(view_func, headers.EXACT_POSITIONS):
            headers.mark_exact_positions(request)
        if headers.declared(view_func, headers.MAP_PAGE):
            setattr(request, headers.MAP_PAGE, True)


def _map_html(request, response) -> str | None:
    if (
        not getattr(request, headers.MAP_PAGE, False)
        or response.streaming
        or not response.get("Content-Type", "").startswith("text/html")
    ):
        return None
    return response.content.decode(response.charset or "utf-8", errors="replace")
