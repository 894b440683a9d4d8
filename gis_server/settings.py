"""Django settings for IOC GIS. Values come from gis_server.env (the environment)."""

from pathlib import Path

import pygeoapi
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from gis_server.env import BASE_DIR, ENV, INSECURE_SECRET_KEY

SECRET_KEY = ENV.secret_key
DEBUG = ENV.debug
if SECRET_KEY == INSECURE_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured(
        "IOC GIS will not run with the public default secret key: set IOC_SECRET_KEY, or run "
        "scripts/setup.sh (make demo), which keeps a per-installation key in var/secret_key; "
        "IOC_DEBUG=1 allows the default for development only.")
ALLOWED_HOSTS = list(ENV.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "leaflet",
    "pgtrigger",
    "pghistory",
    "axes",
    "gis_server",
    "layers",
    "rasters",
    "operations",
    "ogc",
    "demo",
    "frontend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gis_server.middleware.ContentSecurityPolicyMiddleware",  # our pages: scripts from this origin only
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gis_server.locale.DefaultVietnameseLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gis_server.auth.ApiAuthenticationMiddleware",  # tokens and HTTP Basic for API clients
    "pghistory.middleware.HistoryMiddleware",  # who made each change, for the history triggers
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gis_server.errors.ApiErrorMiddleware",  # an ApiError raised by a view becomes the JSON error shape
    "gis_server.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
]

# django-axes locks an account+address out after repeated failed logins (forms and Basic).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # attempts during a lock-out do not extend it
AXES_CLIENT_IP_CALLABLE = "gis_server.auth.client_ip"  # the real client behind a trusted proxy
AXES_VERBOSE = False
IOC_TRUSTED_PROXY_HEADER = ENV.trusted_proxy_header
IOC_TRUSTED_PROXY_COUNT = ENV.trusted_proxy_count
if ENV.trusted_proto_header:  # e.g. X-Forwarded-Proto set by the proxy that terminates TLS
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + ENV.trusted_proto_header.upper().replace("-", "_"), "https")
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IOC_MAX_FEATURE_BYTES = 1024 * 1024  # one feature in a write request

ROOT_URLCONF = "gis_server.urls"
WSGI_APPLICATION = "gis_server.wsgi.application"
ASGI_APPLICATION = "gis_server.asgi.application"

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
                "django.template.context_processors.i18n",
                "gis_server.context.province",
            ]
        },
    }
]

DATABASES = ENV.databases()
DATABASE_ROUTERS = ["gis_server.db.ReadReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = ENV.static_root
# Third-party front-end files installed by npm at set-up (frontend/node_modules is ignored).
NODE_MODULES = BASE_DIR / "frontend" / "node_modules"
STATICFILES_DIRS = [
    ("vendor/leaflet.markercluster", NODE_MODULES / "leaflet.markercluster" / "dist"),
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/swagger-ui-dist", NODE_MODULES / "swagger-ui-dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/leaflet.vectorgrid", NODE_MODULES / "leaflet.vectorgrid" / "dist"),
    ("pygeoapi", Path(pygeoapi.__file__).parent / "static"),  # pygeoapi's own HTML assets
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = ENV.media_root
MEDIA_URL = "/media/"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_HSTS_SECONDS = ENV.hsts_seconds  # sent by SecurityMiddleware on HTTPS requests only
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

IOC_PROVINCE = ENV.province
IOC_BASEMAPS = ENV.basemaps  # base layers from tile servers; none: the offline province base
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": IOC_PROVINCE.centre,
    "DEFAULT_ZOOM": IOC_PROVINCE.zoom,
    "MIN_ZOOM": 7,
    "MAX_ZOOM": 19,
    "RESET_VIEW": False,
    "TILES": [],
    "ATTRIBUTION_PREFIX": "IOC GIS",
}

IOC_PUBLIC_URL = ENV.public_url
IOC_COUNT_EXACT_BELOW = ENV.count_exact_below
IOC_DEMO_PASSWORD = ENV.demo_password
IOC_UPSTREAM_URL = ENV.upstream_url  # the Government reporting system (JSON over HTTPS)
IOC_UPSTREAM_TOKEN = ENV.upstream_token
IOC_TILE_CACHE_SECONDS = ENV.tile_cache_seconds

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # pygeoapi logs every client error (and some normal paths) as errors; our views log
    # what matters.
    "loggers": {"pygeoapi": {"level": "CRITICAL"}},
}

# Debian 12 ships GDAL 3.6; the warning asks for 3.9+ (blocking network access while
# parsing spatial references). We never hand user-supplied SRS strings to GDAL unchecked.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]
