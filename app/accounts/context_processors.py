"""``nav`` for app/templates/base.html: the signed-in user's name, roles and what the nav bar
offers them (Uploads only to those who may upload, Review only to reviewers)."""

from django.utils.functional import SimpleLazyObject

from app.accounts import selectors


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: a page that does not show the nav bar (an API error page) pays no query.
    return {"nav": SimpleLazyObject(lambda: selectors.account(user))}
