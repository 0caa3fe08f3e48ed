"""Settings for landrelease, read from the environment by small helpers that fail loudly.

Every variable is documented in the README ("Configuration"). Development defaults are safe
only on 127.0.0.1; production must set SECRET_KEY, DEBUG=0 and ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

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
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-never-used-with-DEBUG-off"
SECRET_KEY = os.getenv("SECRET_KEY", "") or (DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not SECRET_KEY or (not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value of its own when DEBUG is off"
    )
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

# Security headers and cookies. `DEBUG=0 SECRET_KEY=... ALLOWED_HOSTS=... manage.py check
# --deploy --fail-level WARNING` passes with the defaults below (tests/accounts/test_deploy.py);
# turning one off in production makes that check say so, on purpose.
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No page is meant to be framed: nothing in the repository puts a page of the site in an iframe.
X_FRAME_OPTIONS = "DENY"
# Behind a reverse proxy that terminates TLS: the header it sets to "https" (X-Forwarded-Proto).
if os.getenv("SECURE_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + os.environ["SECURE_PROXY_SSL_HEADER"].strip().upper().replace("-", "_"),
        "https",
    )
# Sign-in throttling counts failures per client address (app.accounts.throttle): behind a
# reverse proxy, the header in which the proxy passes it (X-Real-IP, X-Forwarded-For).
CLIENT_ADDRESS_HEADER = os.getenv("CLIENT_ADDRESS_HEADER", "").strip()
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # Off only behind a proxy that redirects plain HTTP to HTTPS itself.
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "1")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "1")
    # The directive lets the domain be submitted to the browsers' HSTS preload lists; it
    # submits nothing. Set 0 where the whole domain cannot commit to HTTPS for good.
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "1")

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
    "app.records",
    "app.review",
    "app.backups",
    "app.ogc",
    "app.reports",
    "app.dashboard",
]

MIDDLEWARE = [
    # First, around everything else: every request gets its id and its log line (issue 8).
    "app.accounts.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files before anything that reads a session or a database (issue 8, see STORAGES).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Maps and GeoJSON lists are large text (the province map ~460 KB) and shrink ~4.5x.
    "django.middleware.gzip.GZipMiddleware",
    # Content-Security-Policy and no-store inside GZip, so that a map page's inline scripts are
    # hashed before they are compressed (issue 8).
    "app.accounts.middleware.SecurityHeadersMiddleware",
    # Reads go to the primary for a few seconds after a client's own write (app.registry.replicas).
    "app.registry.replicas.ReadYourWritesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "app.accounts.language.ProfileLanguageMiddleware",
    # A NUL in a query string, form field or file name: 400 naming the field, before any view.
    "app.api.request_text.RequestTextMiddleware",
    "app.accounts.middleware.SignInRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "app.urls"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
WSGI_APPLICATION = "app.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # app/templates/base.html: the site's page chrome (nav bar), which every page extends.
        "DIRS": [BASE_DIR / "app" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "app.accounts.context_processors.navigation",
            ],
        },
    },
]


def local_database_url() -> str:
    """Without DATABASE_URL: the project-local cluster that `make demo` starts under var/, with
    the password `make db` generated into var/pgpassword (issue 8), so that manage.py run by hand
    reaches it as make does."""
    password_file = BASE_DIR / "var" / "pgpassword"
    password = password_file.read_text().strip() if password_file.exists() else ""
    return f"postgres://postgres:{password}@127.0.0.1:5544/landrelease"


DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL") or local_database_url(),
        engine="django.contrib.gis.db.backends.postgis",
        # Persistent connections from the start: stats requests are short and frequent.
        conn_max_age=envint("CONN_MAX_AGE", "600"),
        conn_health_checks=True,
    )
}

# Read replicas (issue 9, docs/scaling.md): PostgreSQL streaming standbys of the primary above,
# comma-separated URLs like DATABASE_URL, which answer the reads of reports, maps, tiles and lists
# (app.registry.replicas); empty: everything on the primary. A replica further behind than
# DATABASE_REPLICA_MAX_LAG_SECONDS is passed over until it catches up.
DATABASE_REPLICA_URLS = envlist("DATABASE_REPLICA_URLS", "")
DATABASE_REPLICA_MAX_LAG_SECONDS = envint("DATABASE_REPLICA_MAX_LAG_SECONDS", "10")


def replica_database(url: str) -> dict:
    """The DATABASES entry of one replica URL (tests/registry/test_replicas.py makes its own)."""
    replica = dj_database_url.parse(
        url,
        engine="django.contrib.gis.db.backends.postgis",
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    # A replica that does not answer is given up after 3 s (libpq waits forever by default),
    # unless its URL says otherwise (?connect_timeout=N).
    replica["OPTIONS"] = {"connect_timeout": 3, **replica.get("OPTIONS", {})}
    # In tests the alias is the test database itself: no test database is made for it, and it is
    # never flushed (a standby refuses writes).
    replica["TEST"] = {"MIRROR": "default"}
    return replica


for number, url in enumerate(DATABASE_REPLICA_URLS, start=1):
    DATABASES[f"replica_{number}"] = replica_database(url)
DATABASE_ROUTERS = ["app.registry.replicas.ReplicaRouter"]

# Parallel test runs on one cluster need distinct test databases (TEST_DATABASE_NAME).
if os.getenv("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}

# Migrations live at the top level (migrations/<app>/), see the README's "Layout".
MIGRATION_MODULES = {
    "accounting": "migrations.accounting",
    "accounts": "migrations.accounts",
    "maps": "migrations.maps",
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
FORMAT_MODULE_PATH = ["app.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# Static files (issue 8): served by the app itself through whitenoise, so DEBUG=0 needs no
# other web server. In production `collectstatic` (make static, docs/deploy.md) writes each file
# into STATIC_ROOT under a name carrying its content hash, compressed (gzip and brotli), and pages
# link to those names: browsers cache them for a year and a new release is fetched at once.
# With DEBUG on (the demo, the tests) files are served from the apps' static folders under their
# own names, so no collectstatic is needed before `runserver`, gunicorn or pytest.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Only the hashed names are kept and compressed (half the work: collectstatic takes ~10 s, not
# ~45 s), so every link must come from static(). Source maps are read by developer tools alone:
# not compressed either.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

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

# Upload size limits per feature and per file (issue 8), applied when a file is checked: a
# 1,000,000-vertex polygon made a 24.8 MB record and a 21.5 s review page. A surveyed hazard or
# release outline has tens to hundreds of vertices; the whole Quảng Trị outline (2019, in
# data/boundaries) has 2,034 and the most detailed file of the upload corpus (New York's
# coastline boroughs) 29,219. A province's whole register (every hazard, release or spot task
# since 1996) is tens of thousands of records, and the benchmark checks 100,000 in one file.
# A file beyond these is a mistake (an unsimplified survey track) or an attack.
UPLOAD_MAX_VERTICES_PER_FEATURE = envint("UPLOAD_MAX_VERTICES_PER_FEATURE", "100000")
UPLOAD_MAX_FEATURES = envint("UPLOAD_MAX_FEATURES", "200000")

# Backups (manage.py backup and restore): the folder of pg_dump and pg_restore. Empty: Debian's
# folder for the server's major version (/usr/lib/postgresql/15/bin), else those on PATH.
PG_BIN_DIR = os.getenv("PG_BIN_DIR", "").strip()

# The upload worker and /healthz (issue 8). The worker is woken by NOTIFY and looks for waiting
# uploads every UPLOAD_WORKER_POLL_SECONDS anyway; /healthz fails when its heartbeat is older
# than HEALTHZ_WORKER_STALE_SECONDS or UPLOAD_ROOT's disk has less than HEALTHZ_MIN_FREE_BYTES.
UPLOAD_WORKER_POLL_SECONDS = envint("UPLOAD_WORKER_POLL_SECONDS", "30")
HEALTHZ_WORKER_STALE_SECONDS = envint("HEALTHZ_WORKER_STALE_SECONDS", "60")
HEALTHZ_MIN_FREE_BYTES = envint("HEALTHZ_MIN_FREE_BYTES", str(1024 * 1024 * 1024))
# Monitors ask /healthz over plain HTTP on the loopback: no redirect to HTTPS for it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

REST_FRAMEWORK = {
    # drf-spectacular's, with the refusals DRF gives every view (401, 403, 400/415, 404) added.
    "DEFAULT_SCHEMA_CLASS": "app.api.schema.ApiAutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "app.api.errors.exception_handler",
    # ?format= the endpoint has no renderer for: a 400 naming format (DRF: a 404).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "app.api.negotiation.FormatNegotiation",
    # DRF's parsers, refusing a NUL, a JSON body nested too deep or not an object (400s).
    "DEFAULT_PARSER_CLASSES": [
        "app.api.request_text.JSONObjectParser",
        "app.api.request_text.FormTextParser",
        "app.api.request_text.MultiPartTextParser",
    ],
    # Basic first: its challenge (Basic and Token) makes an unauthenticated request a 401, not a
    # 403, that QGIS and GDAL answer with a user name and password.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "app.accounts.basic_authentication.BasicAuthentication",
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

# Security (issue 8): sign-in throttling, token expiry, Content-Security-Policy, request logs
# and rate limits (app.accounts: throttle, headers, request_log, rate_limits).
# Failed sign-ins from one address in an hour (any user names) past which that address waits
# 1 s, 2 s, 4 s … between attempts: high, since a NAT or proxy puts many users behind one address.
SIGNIN_ADDRESS_CEILING = envint("SIGNIN_ADDRESS_CEILING", "100")
# Days an API token lasts unless its maker chooses otherwise; 0: tokens never expire.
API_TOKEN_DAYS = envint("API_TOKEN_DAYS", "0")
# HTTP Basic authentication (issue 10) on the API and /ogc/, for QGIS and GDAL, through the
# sign-in back-off (app.accounts.basic_authentication). 0: refused, tokens and sessions only.
API_BASIC_AUTH = envbool("API_BASIC_AUTH", "1")
# The password travels in every Basic request: refused over plain HTTP (behind a proxy,
# SECURE_PROXY_SSL_HEADER tells HTTPS apart). On unless DEBUG is on.
API_BASIC_AUTH_HTTPS_ONLY = envbool("API_BASIC_AUTH_HTTPS_ONLY", "1" if not DEBUG else "0")
# "json": one JSON line per request (time, level, request id, method, path, status, duration,
# user id) on stderr; "text": Django's usual output.
LOG_FORMAT = os.getenv("LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json; got {LOG_FORMAT!r}")
# Expensive endpoints (statistics, maps, GeoJSON lists, new uploads): requests per minute per
# signed-in user and per client address (CLIENT_ADDRESS_HEADER behind a proxy); 0: no limit.
RATE_LIMIT_USER_PER_MINUTE = envint("RATE_LIMIT_USER_PER_MINUTE", "60")
RATE_LIMIT_ADDRESS_PER_MINUTE = envint("RATE_LIMIT_ADDRESS_PER_MINUTE", "300")
if LOG_FORMAT == "json":
    LOGGING["formatters"] = {"json": {"()": "app.accounts.request_log.JsonFormatter"}}
    LOGGING["handlers"]["console"]["formatter"] = "json"
    LOGGING["loggers"] = {
        "landrelease.request": {"level": "INFO"},
        # Django's own handlers write text: their records go to the root's JSON handler.
        "django": {"handlers": [], "propagate": True},
        # runserver's access lines would repeat the request lines.
        "django.server": {"handlers": [], "propagate": False},
    }

# OGC API Features (/ogc/, app.ogc): the most features one items page holds; a larger limit
# is clamped to it, as the standard's examples do.
OGC_MAX_LIMIT = envint("OGC_MAX_LIMIT", "10000")

# Coverage rasters (/api/v1/rasters/<layer>.tif, app.rasters): the largest grid one request
# may ask for, in cells (the five float32 bands of 5,000,000 cells are 100 MB in memory), and
# the finest cells, in metres, an aggregates-only user may ask for: coarser cells than that hold
# shares of a square kilometre, not the shapes of the polygons.
RASTER_MAX_CELLS = envint("RASTER_MAX_CELLS", "5000000")
RASTER_AGGREGATES_MIN_RESOLUTION_M = envint("RASTER_AGGREGATES_MIN_RESOLUTION_M", "1000")

# Maps of % CHA released (issue 11, §4: the folium maps and the report's static maps): a unit
# with less CHA than this, in hectares, is hatched and noted, since its percentage may come from
# a sliver of a CHA crossing its boundary (Kim Ngân: 2.3% of 1.11 ha). 0: no unit is hatched.
MAP_SMALL_CHA_HA = envint("MAP_SMALL_CHA_HA", "5")

# Vector tiles of the maps (/tiles/<layer>/<z>/<x>/<y>.mvt, app.maps.tile_views): counted apart
# from the pages, since one map view asks for 10-50 tiles; a cached tile costs a lookup.
RATE_LIMIT_TILES_USER_PER_MINUTE = envint("RATE_LIMIT_TILES_USER_PER_MINUTE", "1200")
RATE_LIMIT_TILES_ADDRESS_PER_MINUTE = envint("RATE_LIMIT_TILES_ADDRESS_PER_MINUTE", "3000")

# OGC items pages (/ogc/collections/<id>/items, app.ogc): counted apart from the reports, since
# GDAL and QGIS read a layer in pages of 10 features unless told a page size (a page is one
# indexed query). QGIS 3.22 crashes on a 429 in the middle of a layer.
RATE_LIMIT_FEATURES_USER_PER_MINUTE = envint("RATE_LIMIT_FEATURES_USER_PER_MINUTE", "3000")
RATE_LIMIT_FEATURES_ADDRESS_PER_MINUTE = envint("RATE_LIMIT_FEATURES_ADDRESS_PER_MINUTE", "6000")
