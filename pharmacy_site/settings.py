"""One settings module, read from the environment.

Defaults are for development: SQLite and a filesystem Celery broker under ``var/``, so
``make run`` works on a fresh clone with no server. Production sets ``DEBUG=False`` and
real values; the checks at the bottom refuse to start on development defaults then.
Importing this module writes nothing: folders under ``var/`` are made by whoever uses
them (``make``, the Celery app for its broker folders, Django's storage for media).
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language_info

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file is optional; real deployments set the environment directly.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

_TRUE_WORDS = {"true", "1", "yes", "on"}
_FALSE_WORDS = {"false", "0", "no", "off"}


def envbool(name: str, *, default: bool) -> bool:
    """A flag is true or false; anything else ("Ture", "ture") stops the process.

    django-environ's own env.bool reads any unknown word as False, so a typo in
    SESSION_COOKIE_SECURE would silently switch secure cookies off."""
    raw = env.str(name, default="").strip()
    if not raw:
        return default
    if raw.lower() in _TRUE_WORDS:
        return True
    if raw.lower() in _FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean: use one of {sorted(_TRUE_WORDS | _FALSE_WORDS)}."
    )


def envint(name: str, *, default: int, minimum: int = 0) -> int:
    """A whole number at least `minimum`, or the process refuses to start."""
    raw = env.str(name, default="").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-do-not-use-in-production"  # noqa: S105

DEBUG = envbool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "csp",
    "axes",
    "screening",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "screening.api.errors.CommonMiddlewareForJson",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pharmacy_site.urls"

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

WSGI_APPLICATION = "pharmacy_site.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Production keeps each worker's connection for a minute (a new PostgreSQL connection per
# request cost more than the request itself, docs/benchmark.md), checked before reuse so a
# database restart is survived; development and tests open one per request.
DATABASES["default"].setdefault("CONN_MAX_AGE", envint("CONN_MAX_AGE", default=0 if DEBUG else 60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails a connection in seconds, not minutes: a web
    # worker builds its knowledge index while it boots (wsgi.py), and a hung connect would
    # outlast gunicorn's boot timeout and have the worker killed over and over.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", envint("DATABASE_CONNECT_TIMEOUT", default=5)
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker share the file: wait for locks instead of failing.
    # WAL with synchronous=NORMAL: a commit survives a crash of any process (what the
    # fault tests kill), and only an OS crash or power cut may lose the last commits; the
    # sync per commit this saves was a tenth of a screening. SQLite is for `make run`;
    # production is PostgreSQL, which keeps its own durability settings.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A file, not memory: tests start real worker processes that must see the test data.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out sign-in before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "counter:screen"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LOCALE_PATHS = [BASE_DIR / "screening" / "locale"]


def _handout_languages() -> list[tuple[str, str]]:
    """English, and every language with a compiled message catalog under the locale folder.

    Adding a language is adding files (its catalog and its knowledge-base wording), never
    code: see the README, "Add a language"."""
    codes = sorted(
        path.parent.parent.name
        for path in LOCALE_PATHS[0].glob("*/LC_MESSAGES/django.mo")
        if path.parent.parent.name != LANGUAGE_CODE
    )
    return [(code, get_language_info(code)["name_local"]) for code in [LANGUAGE_CODE, *codes]]


LANGUAGES = _handout_languages()
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "screening.api.authentication.BearerApiClientAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["screening.api.permissions.IsPharmacyMember"],
    "DEFAULT_PARSER_CLASSES": ["screening.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "screening.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["screening.api.throttling.CallerRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"caller": env.str("API_THROTTLE_RATE", default="600/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "screening.api.errors.json_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Leg-cramp medication screening API",
    "DESCRIPTION": (
        "Screens a patient's medicines and supplements for drugs linked to night-time leg "
        "cramps and for unsafe supplement combinations, and explains every finding."
    ),
    "VERSION": "1.0.0",
    # 3.1: its schemas are JSON Schema, as pydantic writes the screening result's.
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Served from the sidecar package: the docs work with no internet access.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Ids in paths are UUIDs in either letter case (screening/api/converters.py).
    "PATH_CONVERTER_OVERRIDES": {"uuid_any_case": {"type": "string", "format": "uuid"}},
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "screening.api.schema.add_contract",
    ],
}
API_KEY_CUSTOM_HEADER = None

# --- Caches (throttling, knowledge-index bookkeeping) ------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# --- Celery ---------------------------------------------------------------------------
CELERY_FILESYSTEM_DIR = VAR_DIR / "celery"
DEVELOPMENT_BROKER_URL = "filesystem://"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=DEVELOPMENT_BROKER_URL)
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's transport with messages written atomically (pharmacy_site/broker.py).
    CELERY_BROKER_TRANSPORT = "pharmacy_site.broker:FilesystemTransport"
    # All three folders inside var/: left to defaults, part of the traffic goes through /tmp.
    # pharmacy_site/celery.py makes them when the Celery app is configured.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FILESYSTEM_DIR / "queue"),
        "data_folder_out": str(CELERY_FILESYSTEM_DIR / "queue"),
        "processed_folder": str(CELERY_FILESYSTEM_DIR / "processed"),
        # kombu 5.7 also keeps broadcast (control) exchanges on disk; default is ./control.
        "control_folder": str(CELERY_FILESYSTEM_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
else:
    # Longer than the hard time limit, so Redis never redelivers a task that is still running.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 900}
# Deployments (or benchmark runs) that share one broker keep their messages apart by name.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A periodic job not started before the next one is due is dropped (expires), not piled up
# behind a busy or absent worker.
CELERY_BEAT_SCHEDULE = {
    "purge-expired-handouts": {
        "task": "screening.purge_expired_handouts",
        "schedule": 3600.0,
        "options": {"expires": 3600.0},
    },
    "requeue-stalled-handouts": {
        "task": "screening.requeue_stalled_handouts",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Product settings -------------------------------------------------------------------
PHARMACY_DEFAULT_NAME = env.str("PHARMACY_DEFAULT_NAME", default="Default pharmacy")
HANDOUT_RETENTION_DAYS = envint("HANDOUT_RETENTION_DAYS", default=30, minimum=1)
HANDOUT_LEASE_SECONDS = envint("HANDOUT_LEASE_SECONDS", default=120, minimum=1)
HANDOUT_MAX_ATTEMPTS = envint("HANDOUT_MAX_ATTEMPTS", default=5, minimum=1)
# "a4" or "letter"; empty means the language's own default (a translation, see docs/handouts.md).
HANDOUT_DEFAULT_PAPER = env.str("HANDOUT_DEFAULT_PAPER", default="")
KNOWLEDGE_BASE_DIR = BASE_DIR / "fixtures" / "knowledge_base"
# How often a process asks whether the knowledge base changed (a reload or an admin edit):
# at most this many seconds pass before every process screens with the new version.
KNOWLEDGE_VERSION_CHECK_SECONDS = float(env.str("KNOWLEDGE_VERSION_CHECK_SECONDS", default="1"))
# Severity of supplement cautions and interactions may be changed only by this group.
SEVERITY_EDITORS_GROUP = env.str("SEVERITY_EDITORS_GROUP", default="Clinical reviewers")
# An issue the pharmacy acknowledged for a patient and the same medicines is shown as
# acknowledged, not raised again, for this many days (docs/decisions.md).
ALERT_SUPPRESSION_DAYS = envint("ALERT_SUPPRESSION_DAYS", default=30, minimum=0)

# --- CDS Hooks (docs/cds_hooks.md) ---------------------------------------------------------
# The public base URL of the service, which clients put in each JWT's `aud`; empty means
# the URL the request arrived at (fine unless a proxy rewrites the host).
CDS_HOOKS_BASE_URL = env.str("CDS_HOOKS_BASE_URL", default="")
# How long to wait for a client's FHIR server when a prefetch is missing.
CDS_HOOKS_FHIR_TIMEOUT_SECONDS = envint("CDS_HOOKS_FHIR_TIMEOUT_SECONDS", default=3, minimum=1)
# Plain http FHIR servers are refused outside development (CDS Hooks requires https).
CDS_HOOKS_ALLOW_HTTP_FHIR = envbool("CDS_HOOKS_ALLOW_HTTP_FHIR", default=DEBUG)
# A client's fhirServer on loopback or a private network is refused outside development, so a
# caller cannot make this service probe its own network (SSRF).
CDS_HOOKS_ALLOW_PRIVATE_FHIR = envbool("CDS_HOOKS_ALLOW_PRIVATE_FHIR", default=DEBUG)
# The longest a client's JWT may live (CDS Hooks best practice: five minutes).
CDS_HOOKS_MAX_TOKEN_SECONDS = envint("CDS_HOOKS_MAX_TOKEN_SECONDS", default=300, minimum=30)

# --- Security (docs/reliability.md) ----------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# A counter session lasts a working day; after that the pharmacist signs in again.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", default=12 * 3600, minimum=300)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "screening.api.errors.csrf_failure"
if not DEBUG:
    SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", default=True)
    # TLS ends at the proxy in front of gunicorn, which must set X-Forwarded-Proto (and
    # strip any the client sent); plain-http requests are redirected, except the health
    # probe a load balancer makes from inside.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", default=365 * 24 * 3600, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    # The directive only permits preloading; submitting the domain is the owner's decision.
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", default=True)

# Every page: scripts, styles, images and fonts from this site only; no inline script, no
# framing, forms post only here. The API docs pages follow the same policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Sign-in attempts: after AXES_FAILURE_LIMIT failures for one username from one address,
# that pair is locked out for AXES_COOLOFF_MINUTES (a success resets the count).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=envint("AXES_COOLOFF_MINUTES", default=15, minimum=1)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The address is the one the proxy saw (screening/client_address.py): behind a proxy,
# REMOTE_ADDR is the proxy for everyone. On when DEBUG is off, as TLS ends at the proxy.
BEHIND_PROXY = envbool("BEHIND_PROXY", default=not DEBUG)
AXES_CLIENT_IP_CALLABLE = "screening.client_address.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# API tokens expire: create_api_client sets this many days unless told otherwise.
API_TOKEN_LIFETIME_DAYS = envint("API_TOKEN_LIFETIME_DAYS", default=365, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Refuse to run production on development defaults -------------------------------------
if not DEBUG:
    problems = []
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 32:
        problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must list the host names this site serves")
    if CELERY_BROKER_URL == DEVELOPMENT_BROKER_URL and not envbool(
        "ALLOW_FILESYSTEM_BROKER", default=False
    ):
        problems.append("CELERY_BROKER_URL must point at a real broker (Redis) in production")
    if problems:
        raise ImproperlyConfigured("DEBUG is off, so: " + "; ".join(problems) + ".")
