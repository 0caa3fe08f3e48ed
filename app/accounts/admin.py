"""/admin/ for administrators: users, their role groups and their profile (organisation,
aggregates only, language).

An administrator (group ``administrator``: staff, the user and group permissions, and
``view_data``) sees only these pages; no registry model is registered here, so /admin/ shows
no record an administrator's role does not already let them read. Only a superuser may make
superusers or give permissions one by one: roles are given through groups.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from app.accounts.forms import AdminSignInForm
from app.accounts.models import Profile

SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fields = ("organisation", "aggregates_only", "language")
    verbose_name_plural = _("profile")


class UserWithProfileAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ("username", "first_name", "last_name", "roles", "organisation", "is_active")
    list_filter = ("groups", "is_active", "is_staff", "profile__organisation")
    list_select_related = ("profile__organisation",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def roles(self, user) -> str:
        return ", ".join(group.name for group in user.groups.all())

    @admin.display(description=_("organisation"), ordering="profile__organisation__slug")
    def organisation(self, user) -> str:
        profile = getattr(user, "profile", None)
        return profile.organisation.slug if profile and profile.organisation else ""

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        return (*readonly, *SUPERUSER_ONLY_FIELDS)


admin.site.unregister(User)
admin.site.register(User, UserWithProfileAdmin)
# Otherwise /admin/login/ would be a way around the sign-in lockout and rate limit.
admin.site.login_form = AdminSignInForm
