"""Settings for landrelease, read from the environment by small helpers that fail loudly.

Every variable is documented in the README ("Configuration"). Development defaults are safe
only on 127.0.0.1; production must set SECRET_KEY, DEBUG=0 and ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be 0/1, true/false, yes/no or on/off; got {value!r}")


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "1")
SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-never-used-with-DEBUG-off"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "app.accounts",
    "app.registry",
    "app.accounting",
    "app.api",
    "app.maps",
    "app.demo",
    "app.uploads",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Maps and GeoJSON lists are large text (the province map ~460 KB) and shrink ~4.5x.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "app.accounts.language.ProfileLanguageMiddleware",
    "app.accounts.middleware.SignInRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "app.urls"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
WSGI_APPLICATION = "app.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Without DATABASE_URL the project-local cluster that `make demo` starts under var/ is used.
DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5544/landrelease"),
        engine="django.contrib.gis.db.backends.postgis",
        # Persistent connections from the start: stats requests are short and frequent.
        conn_max_age=envint("CONN_MAX_AGE", "600"),
        conn_health_checks=True,
    )
}

# Parallel test runs on one cluster need distinct test databases (TEST_DATABASE_NAME).
if os.getenv("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}

# Migrations live at the top level (migrations/<app>/), see the README's "Layout".
MIGRATION_MODULES = {
    "accounts": "migrations.accounts",
    "registry": "migrations.registry",
    "uploads": "migrations.uploads",
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# gis.W001 (Django 5.2 with GDAL < 3.9): Django's GDAL never parses a user-supplied spatial
# reference here. Uploaded files are read by pyogrio (its own GDAL) and reprojected by pyproj in
# gis/ before anything reaches the database. Remove this once Debian ships GDAL >= 3.9.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# Vietnamese first: the default for anyone whose browser or profile asks for nothing else.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "app" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"

# Uploads (issue 3). OPERATING_AREA: a GeoJSON file path, or "none" to accept features anywhere;
# by default the merged Quảng Trị province of 2025 plus the 2019 outline (data/boundaries/).
# Anonymous visitors see nothing but the sign-in page unless this is on: then they also see the
# province and district aggregates (statistics and the province map, never a polygon of a record).
PUBLIC_SUMMARY = envbool("PUBLIC_SUMMARY", "0")

OPERATING_AREA = os.getenv("OPERATING_AREA", "")
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", str(200 * 1024 * 1024))
UPLOAD_ROOT = Path(os.getenv("UPLOAD_ROOT", str(BASE_DIR / "var" / "uploads")))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "app.api.errors.exception_handler",
    # Token first: its challenge makes an unauthenticated request a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "app.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["app.accounts.permissions.CanViewData"],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "landrelease API",
    "DESCRIPTION": (
        "Explosive-ordnance contamination and land release for Quảng Trị. Areas are geodesic "
        "hectares on the WGS 84 ellipsoid; statistics are computed from geometry in PostGIS."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the pip package drf-spectacular-sidecar, not a CDN: the docs work offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}
