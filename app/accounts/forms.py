"""Forms of the sign-in and profile pages; the rules they apply live in app.accounts.services."""

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from app.accounts import services, throttle


class SignInForm(AuthenticationForm):
    """Django's sign-in form through the sign-in back-off (app.accounts.throttle)."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = services.sign_in(
                    username=username,
                    password=password,
                    address=throttle.client_address(self.request),
                    request=self.request,
                )
            except throttle.SignInRefused as refusal:
                raise forms.ValidationError(refusal.message, code="throttled") from None
            except services.WrongCredentials:
                raise self.get_invalid_login_error() from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class AdminSignInForm(SignInForm, AdminAuthenticationForm):
    """/admin/login/ through the same back-off, still for staff only."""


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        required=False,
        help_text=_("What the token is for, e.g. 'notebook'."),
    )
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"),
        min_value=0,
        max_value=services.MAX_TOKEN_DAYS,
        required=False,
        help_text=_("0: never expires."),
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("The browser's (else Vietnamese)")), *settings.LANGUAGES],
        required=False,
    )
    next = forms.CharField(required=False)
