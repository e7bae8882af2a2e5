"""Settings of the dtforum Django project.

Every value that differs between machines comes from the environment, read here and nowhere else
(twelve-factor style). Two profiles exist, chosen by ``DTFORUM_PROFILE``:

``dev`` (default)
    embedded SQLite database under ``var/``, local-memory cache, tasks in-process, DEBUG on.
``production``
    ``DATABASE_URL`` (PostgreSQL), ``REDIS_URL`` cache, ``DJANGO_SECRET_KEY`` and
    ``DJANGO_ALLOWED_HOSTS`` required; HTTPS hardening on, so ``manage.py check --deploy`` is clean.

Environment variables
---------------------
DATABASE_URL            e.g. ``postgres://postgres@127.0.0.1:5432/dtforum`` (default: SQLite in ``var/``)
REDIS_URL               e.g. ``redis://127.0.0.1:6379/0`` (default: local-memory cache)
DTFORUM_DATA_DIR        folder of the raw statistics snapshot, read in place (default: ``../shared/data/raw``)
DTFORUM_OUT_DIR         where editions are written (default: ``out/``)
DTFORUM_METHODOLOGY_DIR folder of ``<edition>.yaml`` framework files (default: ``methodology/``)
DTFORUM_TASKS_BACKEND   ``immediate`` (default: tasks run in-process) or ``db`` (queued in the database, run by
                        ``manage.py db_worker`` on each worker machine)
DTFORUM_UPLOAD_MAX_BYTES largest questionnaire return accepted (default 5 MiB)
"""
from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PROFILE = _env("DTFORUM_PROFILE", "dev")
if PROFILE not in {"dev", "production"}:
    raise RuntimeError(f"DTFORUM_PROFILE must be 'dev' or 'production', got {PROFILE!r}")
PRODUCTION = PROFILE == "production"

DEBUG = _env_bool("DJANGO_DEBUG", not PRODUCTION)

if PRODUCTION:
    SECRET_KEY = _env("DJANGO_SECRET_KEY")
    if not SECRET_KEY:
        raise RuntimeError("DJANGO_SECRET_KEY must be set in the production profile")
    ALLOWED_HOSTS = [h.strip() for h in (_env("DJANGO_ALLOWED_HOSTS", "") or "").split(",") if h.strip()]
    if not ALLOWED_HOSTS:
        raise RuntimeError("DJANGO_ALLOWED_HOSTS must list the served host names in the production profile")
else:
    # Development only: a fixed key is harmless because nothing is served beyond this machine.
    SECRET_KEY = _env("DJANGO_SECRET_KEY", "dev-only-insecure-key-not-for-production")
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "dtforum.core",
    "dtforum.members",
    "dtforum.observatory",
    "dtforum.forum",
    "dtforum.explorer",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "dtforum.api",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "dtforum.members.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "dtforum.urls"
WSGI_APPLICATION = "dtforum.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "dtforum" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
_default_sqlite = f"sqlite:///{BASE_DIR / 'var' / 'dtforum.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(_env("DATABASE_URL", _default_sqlite), conn_max_age=60)}
if PRODUCTION and not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise RuntimeError("the production profile runs on PostgreSQL: set DATABASE_URL=postgres://…")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets `make serve` read while an ingest writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------------
REDIS_URL = _env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    if PRODUCTION:
        raise RuntimeError("the production profile caches in Redis: set REDIS_URL=redis://…")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ar", _("Arabic")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "dtforum" / "locale",
                BASE_DIR / "dtforum" / "observatory" / "upload_locale"]   # questionnaire upload pages
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# Browser libraries installed by `npm ci` (package.json), served from our own static files: no outside network.
STATICFILES_DIRS = [
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    ("vendor/chartjs-chart-geo", BASE_DIR / "node_modules" / "chartjs-chart-geo" / "build"),
    ("vendor/world-atlas", BASE_DIR / "node_modules" / "world-atlas"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Project settings -------------------------------------------------------------------------
DTFORUM_DATA_DIR = Path(_env("DTFORUM_DATA_DIR", str(BASE_DIR.parent / "shared" / "data" / "raw"))).resolve()
DTFORUM_OUT_DIR = Path(_env("DTFORUM_OUT_DIR", str(BASE_DIR / "out"))).resolve()
DTFORUM_METHODOLOGY_DIR = Path(_env("DTFORUM_METHODOLOGY_DIR", str(BASE_DIR / "methodology"))).resolve()
DTFORUM_DEFAULT_EDITION = _env("DTFORUM_EDITION", "2024")

# --- Background tasks (Django's Tasks framework, backport django-tasks) -----------------------------
# Immediate: every task runs in the process that enqueues it (embedded default, tests). "db": tasks are rows of
# the database (django-tasks-db), picked up by `manage.py db_worker` on any machine sharing the database.
TASKS_BACKEND = _env("DTFORUM_TASKS_BACKEND", "immediate")
_TASK_BACKENDS = {"immediate": "django_tasks.backends.immediate.ImmediateBackend",
                  "db": "django_tasks_db.DatabaseBackend"}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise RuntimeError(f"DTFORUM_TASKS_BACKEND must be one of {sorted(_TASK_BACKENDS)}, got {TASKS_BACKEND!r}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}
DTFORUM_UPLOAD_MAX_BYTES = int(_env("DTFORUM_UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)) or 0)

# --- Security (production profile) ------------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(_env("DJANGO_HSTS_SECONDS", "31536000") or 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]

# --- Accounts (django-allauth), e-mail, uploaded documents (forum workspace) ----------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"  # the invitation link itself proves the address
ACCOUNT_ADAPTER = "dtforum.members.adapters.InvitationAccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "COMCEC DT Forum"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
EMAIL_BACKEND = _env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = _env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(_env("DJANGO_EMAIL_PORT", "25") or 25)
DEFAULT_FROM_EMAIL = _env("DJANGO_DEFAULT_FROM_EMAIL", "forum@localhost")
DTFORUM_SITE_URL = _env("DTFORUM_SITE_URL", "http://127.0.0.1:8000")
MEDIA_ROOT = Path(_env("DTFORUM_MEDIA_DIR", str(BASE_DIR / "var" / "media"))).resolve()
DTFORUM_DOCUMENT_MAX_BYTES = int(_env("DTFORUM_DOCUMENT_MAX_BYTES", str(20 * 1024 * 1024)) or 0)

# --- Read-only API and open data (issue 4) -----------------------------------------------------
# Anonymous and signed-in request rates (DRF throttle syntax "<n>/<second|minute|hour|day>"); `make bench-web`
# may raise them through the environment so that the benchmark measures the server, not the throttle.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["dtforum.api.permissions.ReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer",
                                 "rest_framework.renderers.BrowsableAPIRenderer"],
    "DEFAULT_PAGINATION_CLASS": "dtforum.api.pagination.StrictLimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle",
                                 "rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": _env("DTFORUM_API_RATE_ANON", "120/minute"),
                               "user": _env("DTFORUM_API_RATE_USER", "600/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "dtforum.api.errors.exception_handler",
    "URL_FORMAT_OVERRIDE": None,   # ?format= is not a filter of ours; JSON unless the browser asks for HTML
}
DTFORUM_API_MAX_LIMIT = 1000
SPECTACULAR_SETTINGS = {
    "TITLE": "COMCEC Digital Transformation Forum observatory API",
    "DESCRIPTION": "Read-only access to the member states, indicators, observations, editions of the Digital "
                   "Transformation Index, scores, country profiles and open-data downloads.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Swagger UI from drf-spectacular-sidecar's static files: the docs work with no outside network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "dtforum": {"handlers": ["console"], "level": _env("DTFORUM_LOG_LEVEL", "INFO"), "propagate": False},
        "compindex": {"handlers": ["console"], "level": _env("DTFORUM_LOG_LEVEL", "INFO"), "propagate": False},
        # task start/finish lines, and the traceback of every failed task (in-process or in db_worker)
        "django_tasks": {"handlers": ["console"], "level": _env("DTFORUM_LOG_LEVEL", "INFO"), "propagate": False},
    },
}
