"""JSON of the auth API (app.accounts.api_views): the request to sign in, tokens, the account."""

from rest_framework import serializers


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    name = serializers.CharField(
        max_length=80,
        required=False,
        allow_blank=True,
        default="",
        help_text="What the token is for, e.g. 'notebook' (default: 'API token').",
    )
    expires_in_days = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        max_value=3650,
        help_text="Days the token lasts; 0: it never expires (default: the site's API_TOKEN_DAYS).",
    )


class TokenSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="The key's first 8 characters, to tell it.")
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(
        allow_null=True, help_text="When the token stops opening the API (null: never)."
    )


class NewTokenSerializer(TokenSerializer):
    token = serializers.CharField(
        help_text="The key, shown this once: send it as 'Authorization: Token <key>'."
    )


class AccountSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    organisation = serializers.CharField(
        source="organisation_slug", allow_null=True, help_text="Slug of the user's organisation."
    )
    aggregates_only = serializers.BooleanField()
    language = serializers.CharField(
        help_text="The language chosen on the profile (vi, en; empty: the browser's)."
    )
    active_language = serializers.CharField(help_text="The language this answer is in.")
    can_view_data = serializers.BooleanField()
    sees_polygons = serializers.BooleanField()
    sees_all_records = serializers.BooleanField()
    can_review = serializers.BooleanField()
    can_upload = serializers.BooleanField()
    can_change_any_record = serializers.BooleanField()
    can_manage_reference_data = serializers.BooleanField()
    can_manage_users = serializers.BooleanField()


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField()
    parameter = serializers.CharField(required=False)
