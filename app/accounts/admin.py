"""/admin/ for administrators: users, their role groups and their profile (organisation,
aggregates only, language).

An administrator (group ``administrator``: staff, the user and group permissions, and
``view_data``) sees only these pages; no registry model is registered here, so /admin/ shows
no record an administrator's role does not already let them read. Only a superuser may make
superusers or give permissions one by one: roles are given through groups.

The groups keep their slugs as names (``field_coordinator``: the code and the migrations look
them up by it); the pages show each role by its translated name (app.accounts.roles.Role), the
slug beside it, in the user list, the user form's group picker, the filter and the group list.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _

from app.accounts.forms import AdminSignInForm
from app.accounts.models import Profile
from app.accounts.roles import Role


def role_name(group: Group) -> str:
    """A role group by its name in the reader's language; another group by its own name."""
    return str(Role(group.name).label) if group.name in Role.values else group.name


class RoleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, group: Group) -> str:
        name = role_name(group)
        return name if name == group.name else f"{name} ({group.name})"


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [(group.name, role_name(group)) for group in Group.objects.order_by("name")]

    def queryset(self, request, queryset):
        return queryset.filter(groups__name=self.value()) if self.value() else queryset


SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fields = ("organisation", "aggregates_only", "language")
    verbose_name_plural = _("profile")


class UserWithProfileAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ("username", "first_name", "last_name", "roles", "organisation", "is_active")
    list_filter = (RoleFilter, "is_active", "is_staff", "profile__organisation")
    list_select_related = ("profile__organisation",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def roles(self, user) -> str:
        return ", ".join(role_name(group) for group in user.groups.all())

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["form_class"] = RoleChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("organisation"), ordering="profile__organisation__slug")
    def organisation(self, user) -> str:
        profile = getattr(user, "profile", None)
        return profile.organisation.slug if profile and profile.organisation else ""

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        return (*readonly, *SUPERUSER_ONLY_FIELDS)


class RoleGroupAdmin(GroupAdmin):
    list_display = ("name", "role")

    @admin.display(description=_("role"))
    def role(self, group) -> str:
        return role_name(group)


admin.site.unregister(User)
admin.site.register(User, UserWithProfileAdmin)
admin.site.unregister(Group)
admin.site.register(Group, RoleGroupAdmin)
# Otherwise /admin/login/ would be a way around the sign-in lockout and rate limit.
admin.site.login_form = AdminSignInForm
