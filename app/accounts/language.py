"""The language of a request: the signed-in user's choice, else the browser's, else Vietnamese.

Runs after Django's LocaleMiddleware (which reads the ``django_language`` cookie and
``Accept-Language``) and AuthenticationMiddleware; a language chosen on the profile wins.
"""

from django.utils import translation


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
