"""Sign-in, sign-out and profile pages: parse, call one service or selector, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from app.accounts import selectors, services
from app.accounts.forms import LanguageForm, SignInForm, TokenForm


class SignInView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


sign_in = SignInView.as_view()
# Django's LogoutView signs out on POST only (a link could be followed by any page).
sign_out = LogoutView.as_view()


def _profile_page(request: HttpRequest, *, token_form=None, new_token=None, status=200):
    account = selectors.account(request.user)
    context = {
        "account": account,
        "tokens": selectors.active_tokens(request.user),
        "token_form": token_form or TokenForm(initial={"expires_in_days": settings.API_TOKEN_DAYS}),
        "language_form": LanguageForm(initial={"language": account.language}),
        "new_token": new_token,
        "now": timezone.now(),
    }
    return render(request, "accounts/profile.html", context, status=status)


@require_GET
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return _profile_page(request)


@require_POST
@login_required
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, token_form=form, status=400)
    new_token = services.create_token(
        user=request.user,
        name=form.cleaned_data["name"],
        expires_in_days=form.cleaned_data["expires_in_days"],
    )
    # The key is on this page only: not in a redirect, a message cookie or the session.
    response = _profile_page(request, new_token=new_token)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = services.revoke_token(user=request.user, token_id=token_id)
    except services.TokenNotFound as error:
        raise Http404(str(error)) from None
    messages.success(
        request,
        _("Token “%(name)s” (%(prefix)s…) is revoked: it no longer opens the API.")
        % {"name": token.name, "prefix": token.prefix},
    )
    return redirect("accounts:profile")


@require_POST
@login_required
def language(request: HttpRequest) -> HttpResponse:
    """Save the language on the profile, and in Django's language cookie so that the sign-in
    page keeps it after signing out."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Language: choose Tiếng Việt or English."))
        return redirect("accounts:profile")
    chosen = form.cleaned_data["language"]
    services.set_language(user=request.user, language=chosen)
    next_url = form.cleaned_data["next"]
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("accounts:profile")
    response = redirect(next_url)
    if chosen:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            chosen,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    else:
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
        )
    return response
