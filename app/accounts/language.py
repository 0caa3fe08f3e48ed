"""The language of a request: the signed-in user's choice, else the browser's, else Vietnamese;
and the language a management command prints in.

Runs after Django's LocaleMiddleware (which reads the ``django_language`` cookie and
``Accept-Language``) and AuthenticationMiddleware; a language chosen on the profile wins.
"""

import os

from django.conf import settings
from django.utils import formats, translation

from gis.numbers import NumberConvention


def command_language(environ=os.environ) -> str:
    """The language ``add_user`` and ``create_demo_users`` print in: the first language of the
    ``LANGUAGE`` environment variable (GNU gettext's list, e.g. ``en`` or ``en_GB:en``) that
    the site has, else the site's default (LANGUAGE_CODE: Vietnamese). ``LANG`` is not read:
    servers set it to C.UTF-8 or en_US.UTF-8 whatever their operators read."""
    for entry in environ.get("LANGUAGE", "").split(":"):
        code = entry.split(".")[0].split("_")[0].lower()
        if code in dict(settings.LANGUAGES):
            return code
    return settings.LANGUAGE_CODE


def in_english() -> bool:
    """Whether the active language is English: admin units and villages are then named by
    their English names where they have one (app.accounting.sql.name_in_reader_language)."""
    return (translation.get_language() or "").startswith("en")


def number_convention() -> NumberConvention:
    """How the active language writes numbers (Vietnamese 1.234,56; English 1,234.56), from
    Django's locale formats, for gis.numbers.format_number: every figure a reader reads (pages,
    maps, report sentences, refusals) is written through it."""
    return NumberConvention(
        decimal_separator=formats.get_format("DECIMAL_SEPARATOR"),
        group_separator=formats.get_format("THOUSAND_SEPARATOR"),
    )


class ProfileLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        profile = getattr(request.user, "profile", None) if request.user.is_authenticated else None
        if profile is not None and profile.language:
            translation.activate(profile.language)
            request.LANGUAGE_CODE = profile.language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
