"""How drf-spectacular documents the token and Basic authentication (loaded by
AccountsConfig.ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "app.accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Token <key>`: a key made on the profile page or with POST /api/v1/auth/token/."
            ),
        }


class BasicScheme(OpenApiAuthenticationExtension):
    target_class = "app.accounts.basic_authentication.BasicAuthentication"
    name = "basicAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "basic",
            "description": (
                "User name and password, as QGIS's and GDAL's authentication configurations "
                "send them; over HTTPS in production, and counted by the sign-in throttle."
            ),
        }
