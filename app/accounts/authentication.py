"""API authentication: session cookies for the web pages, tokens for scripts and notebooks
(HTTP Basic for QGIS and GDAL: app.accounts.basic_authentication).

A token is sent as ``Authorization: Token <key>`` (``Bearer`` is accepted too). Only its SHA-256
is stored (``ApiToken.digest``); a revoked or expired token, or an inactive user, is refused
(401). A token has its own life, set when it is made (API_TOKEN_DAYS by default): the sign-in
throttle (app.accounts.throttle) never touches it.

A token request answers in the language of the token owner's profile, as a session request
does (app.accounts.language, which runs before the token is read); else ``Accept-Language``.
"""

from datetime import timedelta

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from app.accounts.models import ApiToken, token_digest

KEYWORDS = (b"token", b"bearer")
LAST_USED_PRECISION = timedelta(minutes=1)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Authorization header: send 'Token <key>' with the key and nothing else")
            )
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Authorization header: not a token")) from None
        token = (
            # The profile too: the language below and every permission check read it.
            ApiToken.objects.select_related("user__profile")
            .filter(digest=token_digest(key), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("invalid or revoked token"))
        if token.expires_at is not None and token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(
                _(
                    "this token expired at %(moment)s: make a new one on your profile page or "
                    "with POST /api/v1/auth/token/"
                )
                % {
                    "moment": formats.date_format(
                        timezone.localtime(token.expires_at), "SHORT_DATETIME_FORMAT"
                    )
                }
            )
        _note_use(token)
        speak_profile_language(request, token.user)
        return token.user, token

    def authenticate_header(self, request):
        # Makes an unauthenticated API request a 401 (with this challenge), not a 403.
        return "Token"


def _note_use(token: ApiToken) -> None:
    """``last_used_at`` to the minute: a script's every request would otherwise write a row."""
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


def speak_profile_language(request, user) -> None:
    """The answer in the user's profile language (Basic authentication too)."""
    profile = getattr(user, "profile", None)
    if profile is not None and profile.language:
        translation.activate(profile.language)
        request._request.LANGUAGE_CODE = profile.language
