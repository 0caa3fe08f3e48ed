"""HTTP Basic authentication for the API and /ogc/: what QGIS's and GDAL's authentication
configurations send (``Authorization: Basic base64(name:password)``).

Every Basic request is a sign-in as app.accounts.services.sign_in makes one, through the sign-in
page's back-off (app.accounts.throttle), written as a failure before the password is checked;
credentials verified in the last REMEMBER_SECONDS spare only the password hash, never the
back-off. So Basic cannot guess passwords faster than the sign-in page: failures on either count
against both, and while the user name and address must wait the answer is a 429 with
``Retry-After`` that says so without checking the password (it tells nothing of whether the
password was right). A wrong password, an unknown or inactive user: 401 with the Basic challenge.

Basic-authenticated requests are not session ones: nothing is stored in a session and DRF checks
no CSRF token for them (the credentials travel in every request, as a token's do).

API_BASIC_AUTH turns Basic off (a request that sends it is refused, saying to use a token).
API_BASIC_AUTH_HTTPS_ONLY (on when DEBUG is off) refuses Basic over plain HTTP: the password
travels in every request. ``request.is_secure()`` reads SECURE_PROXY_SSL_HEADER, so behind a
proxy that terminates TLS and sets ``X-Forwarded-Proto: https`` the requests count as HTTPS.
"""

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.cache import cache
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions, status

from app.accounts import throttle
from app.accounts.authentication import speak_profile_language

REALM = "landrelease"
# How long a verified user name and password spare the password hash. QGIS and GDAL send Basic
# with every request (a layer's pages, each pan), and PBKDF2's 1,000,000 rounds cost most of a
# second of CPU each time.
REMEMBER_SECONDS = 300


class SignInThrottled(exceptions.APIException):
    """The sign-in back-off's refusal as a 429; ``wait`` becomes DRF's ``Retry-After``."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "throttled"

    def __init__(self, refusal: throttle.SignInRefused):
        super().__init__(detail=refusal.message)
        self.wait = refusal.retry_after_seconds


class BasicAuthentication(authentication.BasicAuthentication):
    """DRF's parsing of the Basic header; the credentials checked as the sign-in page checks
    them. First in DEFAULT_AUTHENTICATION_CLASSES because DRF takes the 401 challenge from the
    first class: it offers Basic and Token (``authenticate_header``)."""

    www_authenticate_realm = REALM

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if header and header[0].lower() == b"basic":
            if not settings.API_BASIC_AUTH:
                raise exceptions.AuthenticationFailed(
                    _(
                        "HTTP Basic authentication is turned off on this server: send a token "
                        "(Authorization: Token <key>)"
                    )
                )
            if settings.API_BASIC_AUTH_HTTPS_ONLY and not request.is_secure():
                # The password has crossed the network in clear already; refusing it makes the
                # client's owner change the URL to https:// before it is sent again and again.
                raise exceptions.AuthenticationFailed(
                    _(
                        "HTTP Basic authentication needs HTTPS on this server: use the https:// "
                        "address, or a token"
                    )
                )
        return super().authenticate(request)

    def authenticate_credentials(self, userid, password, request=None):
        # services.sign_in's steps, with the password hash spared for credentials verified in
        # the last REMEMBER_SECONDS. The throttle is asked first all the same: while a name and
        # address must wait, no password is checked against anything, remembered or not.
        try:
            attempt = throttle.begin_attempt(
                username=userid, address=throttle.client_address(request)
            )
        except throttle.SignInRefused as refusal:
            raise SignInThrottled(refusal) from None
        user = _remembered(userid, password)
        if user is None:
            user = authenticate(request._request, username=userid, password=password)
            if user is None:
                # services.sign_in's words for it.
                raise exceptions.AuthenticationFailed(
                    _("the user name and password do not match an active account")
                )
            _remember(userid, password, user)
        throttle.forgive(attempt)
        speak_profile_language(request, user)
        return user, None

    def authenticate_header(self, request):
        """Both schemes, so that QGIS, GDAL or a browser opened on an API URL asks for a user
        name and password, and a script knows a token works too. Not Basic to the site's own
        scripts (``Sec-Fetch-Mode`` other than ``navigate``: fetch() from a page): a browser
        would pop its password dialog over a page whose session has ended."""
        fetch_mode = request.META.get("HTTP_SEC_FETCH_MODE", "navigate")
        if not settings.API_BASIC_AUTH or fetch_mode != "navigate":
            return "Token"
        return f'Basic realm="{REALM}", Token'


def _key(username: str, password: str) -> str:
    # A keyed digest: the cache holds neither the password nor anything to test guesses on.
    secret = settings.SECRET_KEY.encode()
    digest = hmac.new(secret, f"{username}\0{password}".encode(), hashlib.sha256).hexdigest()
    return f"basic-auth:{digest}"


def _password_mark(user) -> str:
    """Changes when the password does: a new password forgets the old one at once."""
    return hashlib.sha256(user.password.encode()).hexdigest()


def _remember(username: str, password: str, user) -> None:
    cache.set(_key(username, password), (user.pk, _password_mark(user)), REMEMBER_SECONDS)


def _remembered(username: str, password: str):
    """The active user these credentials were verified for, while their password is the same."""
    remembered = cache.get(_key(username, password))
    if remembered is None:
        return None
    user_id, mark = remembered
    user = get_user_model().objects.select_related("profile").filter(pk=user_id).first()
    if (
        user is None
        or not user.is_active
        or user.get_username() != username
        or not hmac.compare_digest(_password_mark(user), mark)
    ):
        return None
    return user
