"""Users' place in the mine-action picture: their organisation, their limits, their tokens.

Roles are Django groups (app.accounts.roles) carrying the permissions declared on ``Profile``;
the organisation a field coordinator works for lives here, beside the per-user settings.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text="The organisation a field coordinator uploads for (null: none).",
    )
    aggregates_only = models.BooleanField(
        default=False,
        help_text="Show this user statistics and unit totals only, never exact hazard or "
        "release polygons (restricted positions).",
    )
    language = models.CharField(
        max_length=5,
        choices=settings.LANGUAGES,
        blank=True,
        default="",
        help_text="Language of the pages and messages (empty: the browser's, else Vietnamese).",
    )

    class Meta:
        # The permissions the role groups are made of (migrations/accounts/0002_role_groups).
        permissions = [
            ("view_all_records", "See every organisation's records in every review state"),
            ("review_records", "Approve, reject or send back submitted records"),
            ("change_any_record", "Edit, delete, undelete and restore any record"),
            ("manage_reference_data", "Manage targets, admin units and organisations"),
            ("submit_own_uploads", "Upload and commit files for one's own organisation"),
            ("submit_any_uploads", "Upload and commit files for any organisation"),
            ("view_data", "Read approved records, statistics and maps"),
            ("manage_users", "Manage users and their roles"),
        ]

    def __str__(self) -> str:
        return f"profile of {self.user}"


def token_digest(key: str) -> str:
    """Tokens are stored as their SHA-256 only: a database dump does not hand out access."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80, help_text=_("What the token is for, e.g. 'notebook'."))
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="The key's first characters, to tell it.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="When the token stops opening the API (null: never)."
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"token {self.prefix}… of {self.user}"


class SignInFailure(models.Model):
    """One failed password check, by user name and address; the sign-in back-off counts
    these (app.accounts.throttle). Old rows are pruned as new ones are written."""

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField(null=True)
    # Set by app.accounts.throttle from its own clock, which the tests stop.
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # The back-off counts a user name's recent failures (per address too), and an
            # address's across user names.
            models.Index(fields=["username", "at"], name="signin_failure_user_idx"),
            models.Index(fields=["address", "at"], name="signin_failure_address_idx"),
        ]

    def __str__(self) -> str:
        return f"failed sign-in of {self.username} at {self.at}"


class RateCounter(models.Model):
    """Requests to the expensive endpoints in one minute, by one user or from one address
    (app.accounts.rate_limits). In the database, so that every server process counts alike;
    a key's past minutes are deleted when its next minute begins."""

    key = models.CharField(max_length=200, help_text="'user <id>' or 'address <ip>'.")
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # The counter's upsert (INSERT … ON CONFLICT) needs exactly this unique key.
            models.UniqueConstraint(fields=["key", "window_start"], name="rate_counter_key_minute")
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.hits} at {self.window_start}"
