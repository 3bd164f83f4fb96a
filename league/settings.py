"""Settings, read from environment variables.

Local defaults are embedded (SQLite and kombu's file-system broker under
``var/``); production sets ``DATABASE_URL``, ``CELERY_BROKER_URL`` and the
rest, and fails fast when a secret is missing.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from league.converters import ID_MAX, ID_MIN

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("LEAGUE_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)


def _secret_key() -> str:
    key = env.str("SECRET_KEY", default="")
    if key:
        return key
    if DEBUG:
        return "insecure-local-development-key-do-not-use-in-production"
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
        "(or DEBUG=true for local development)."
    )


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The address people reach the site at: links in e-mails sent by workers
# point here, and allauth's mails name SITE_NAME (league/sites.py).
# `make run` sets it to its own address.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
SITE_NAME = env.str("SITE_NAME", default="AI Super League")
# How often an open team page checks whether its members or checklists changed.
TEAM_PAGE_REFRESH_SECONDS = env.int("TEAM_PAGE_REFRESH_SECONDS", default=10)

INSTALLED_APPS = [
    # Before the admin, so organizers get a field per content language.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "league",
    "teams",
    "submissions",
    "judging",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "league.middleware.ViewerTimezoneMiddleware",
]

ROOT_URLCONF = "league.urls"
WSGI_APPLICATION = "league.wsgi.application"
ASGI_APPLICATION = "league.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'league.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, for tests too: a worker process can then share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-league.sqlite3")}
    # Concurrent writers (web threads, the worker): each transaction takes
    # the write lock when it begins and waits up to 20 s for it (SQLITE_TIMEOUT), and WAL lets
    # readers run beside the writer (a burst of uploads is queued, not refused).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=env.float("SQLITE_TIMEOUT", default=20.0),
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's, with the health check skipped for a connection used a moment ago.
    DATABASES["default"]["ENGINE"] = "league.postgresql"
# The statements every upload runs are prepared once per connection (league/db.py);
# off behind a pooler in transaction mode.
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "league.User"

# Cache: a real shared cache (allauth's rate limits depend on it).
CACHES = {
    "default": env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}"),
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "league.cache.RedisCache"  # one client per server
# Per process, no round trip (league/local_cache.py): a phase and its
# challenge, read by every upload; saves here forget them at once, other
# processes see a change within LOCAL_CACHE_SECONDS.
LOCAL_CACHE_SECONDS = env.float("LOCAL_CACHE_SECONDS", default=5.0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Internationalisation: English and Simplified Chinese are complete;
# vi, th, id and ms are added by listing them here and translating
# locale/<code>/LC_MESSAGES/django.po.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("th", "ไทย"),
    ("vi", "Tiếng Việt"),
    ("id", "Bahasa Indonesia"),
    ("ms", "Bahasa Melayu"),
]
# locale_overrides/ rewords some of the packages' own strings (allauth's Chinese).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
# Content organizers enter (titles, descriptions, prizes, terms) is stored per
# language (league/translation.py). The columns are fixed here, independent of
# LANGUAGES, so adding a site language never needs a migration; an empty
# translation falls back to English.
MODELTRANSLATION_LANGUAGES = ("en", "zh-hans", "vi", "th", "id", "ms")
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
TIME_ZONE_COOKIE = "league_tz"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
PRIVATE_MEDIA_ROOT = env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG


def s3_private_storage(env: environ.Env) -> dict | None:
    """Private files (submissions, packages, answer keys) in an S3-compatible
    bucket shared by web servers and workers on other machines, when
    AWS_STORAGE_BUCKET_NAME is set; None keeps them under PRIVATE_MEDIA_ROOT.
    Private ACL, no public URL: files leave only through the
    permission-checked views (a signed URL, if one is ever made, expires
    after PRIVATE_STORAGE_URL_EXPIRE seconds)."""
    bucket = env.str("AWS_STORAGE_BUCKET_NAME", default="")
    if not bucket:
        return None
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
            "signature_version": "s3v4",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env.int("PRIVATE_STORAGE_URL_EXPIRE", default=300),
            "file_overwrite": False,
            # Files read back (evaluations, downloads) spill to a temporary
            # file above this size instead of staying in memory.
            "max_memory_size": 8 * 1024 * 1024,
        },
    }


if s3_private_storage(env):
    STORAGES["private"] = s3_private_storage(env)

# Accounts (django-allauth): e-mail is the login, verification mandatory.
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_ADAPTER = "league.accounts.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": env.str("LOGIN_FAILED_RATE", default="10/m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[AI Super League] "

# E-mail: the console locally, SMTP when EMAIL_URL is set.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env.str(
        "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
    )
# A mail server that stops answering fails the send (the sweeper retries it)
# instead of holding a worker for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="AI Super League <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Production (DEBUG off) gets HTTPS-only cookies and HSTS;
# `manage.py check --deploy` is clean with the production variables.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# API
REST_FRAMEWORK = {
    # The token first: a request without valid credentials answers 401 with
    # `WWW-Authenticate: Token`; the session (CSRF enforced) serves the pages' fetch calls.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "league.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "league.errors.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "league.pagination.Pagination",
    "PAGE_SIZE": 50,
}
# Rate limits (league/throttles.py), "count/second|minute|hour|day", each
# overridable by THROTTLE_<SCOPE>, e.g. THROTTLE_JOIN_CODE_USER=20/hour. The
# counters live in the cache (CACHE_URL), shared by every web process.
THROTTLE_RATES = {
    scope: env.str(f"THROTTLE_{scope.upper()}", default=rate)
    for scope, rate in {
        "join_code_user": "10/hour",  # joining a team by code, per user
        "join_code_ip": "30/hour",  # the same, per client address
        "join_code_new": "10/hour",  # new join codes, per user
        "invitation_team": "20/hour",  # invitations sent, per team
        "invitation_address": "3/day",  # invitations sent, per invited address
        "invitation_answer": "30/hour",  # invitation links opened and answered, per user
        "token_failure": "20/minute",  # wrong API tokens, per client address
    }.items()
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AI Super League API",
    "DESCRIPTION": "China–ASEAN AI competition league: teams, submissions, "
    "leaderboards. Authenticate with a personal API token: "
    "`Authorization: Token <your token>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    # A judge's own review, as the judges' API names its state.
    "ENUM_NAME_OVERRIDES": {"ReviewProgressEnum": ["todo", "draft", "submitted"]},
    # Ids in paths are `<id:...>` (league/converters.py); every operation
    # documents the errors it can give in the API's error format.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": ID_MIN, "maximum": ID_MAX},
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "league.openapi.document_error_responses",
    ],
    # Swagger UI served from this site, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Celery: JSON only, late acknowledgement, time limits, named queues.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
_BROKER_IS_FILESYSTEM = CELERY_BROKER_URL.startswith("filesystem")
CELERY_RESULT_BACKEND = env.str(
    "CELERY_RESULT_BACKEND",
    default=(
        f"file://{VAR_DIR / 'celery-results'}" if _BROKER_IS_FILESYSTEM else CELERY_BROKER_URL
    ),
)
TASK_TIME_LIMIT = env.int("TASK_TIME_LIMIT", default=600)
TASK_SOFT_TIME_LIMIT = env.int("TASK_SOFT_TIME_LIMIT", default=TASK_TIME_LIMIT - 60)
_broker_options = {
    # Above the hard time limit, so a long task is never delivered twice
    # while it is still running.
    "visibility_timeout": TASK_TIME_LIMIT * 2,
}
if CELERY_BROKER_URL.startswith(("redis", "rediss")):
    # A broker that accepts connections but never answers (hung, half-open)
    # fails a publish after this many seconds instead of holding the request.
    # (A publish tries twice: it answers within about three timeouts.) A
    # worker's idle connection is checked every 10 s and replaced when dead.
    _broker_options.update(
        socket_timeout=env.float("BROKER_SOCKET_TIMEOUT", default=0.3),
        socket_connect_timeout=env.float("BROKER_SOCKET_TIMEOUT", default=0.3),
        health_check_interval=10,
    )
    # The result backend (the same Redis) gives up too, instead of after 120 s.
    CELERY_REDIS_SOCKET_TIMEOUT = 5.0
    CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2.0
if _BROKER_IS_FILESYSTEM:
    _broker_dir = VAR_DIR / "broker"
    for sub in ("queue", "processed", "control"):
        (_broker_dir / sub).mkdir(parents=True, exist_ok=True)
    _broker_options.update(
        data_folder_in=str(_broker_dir / "queue"),
        data_folder_out=str(_broker_dir / "queue"),
        processed_folder=str(_broker_dir / "processed"),
        control_folder=str(_broker_dir / "control"),
        store_processed=False,
        polling_interval=0.1,
    )
    (VAR_DIR / "celery-results").mkdir(parents=True, exist_ok=True)
CELERY_BROKER_TRANSPORT_OPTIONS = _broker_options
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = TASK_TIME_LIMIT
CELERY_TASK_SOFT_TIME_LIMIT = TASK_SOFT_TIME_LIMIT
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = 200
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = {"default": {}, "evaluation": {}}
CELERY_TASK_ROUTES = {"submissions.*": {"queue": "evaluation"}}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Evaluations: a running one holds a lease its worker renews every third of
# EVALUATION_LEASE_SECONDS; the sweeper (every SWEEPER_INTERVAL seconds)
# re-queues one whose lease lapsed, so a lost worker's job runs again within
# a minute. A job the broker did not take is published again once it is
# SUBMISSION_UNPUBLISHED_AFTER seconds old. Each evaluating process may use
# EVALUATION_MEMORY_LIMIT_MB of address space (0: no cap); past it the
# evaluation fails instead of the machine swapping or the kernel killing it.
EVALUATION_LEASE_SECONDS = env.float("EVALUATION_LEASE_SECONDS", default=30.0)
SWEEPER_INTERVAL = env.float("SWEEPER_INTERVAL", default=20.0)
SUBMISSION_UNPUBLISHED_AFTER = env.float("SUBMISSION_UNPUBLISHED_AFTER", default=30.0)
EVALUATION_MEMORY_LIMIT_MB = env.int("EVALUATION_MEMORY_LIMIT_MB", default=4096)
# Periodic work; each app adds its entries here.
CELERY_BEAT_SCHEDULE: dict = {
    # Publishes submissions the broker never got; recovers those a dead worker left.
    "submissions-requeue-stuck": {
        "task": "submissions.requeue_stuck",
        "schedule": SWEEPER_INTERVAL,
        "options": {"queue": "default", "expires": SWEEPER_INTERVAL * 0.9},
    },
    # Publishes invitation e-mails the broker refused or lost.
    "teams-publish-unsent-invitations": {
        "task": "teams.publish_unsent_invitations",
        "schedule": 60.0,
        "options": {"queue": "default", "expires": 55},
    },
    # Publishes the e-mails of league/mail.py the broker refused or lost.
    "league-publish-unsent-mail": {
        "task": "league.publish_unsent_mail",
        "schedule": 60.0,
        "options": {"queue": "default", "expires": 55},
    },
    # Flags verified registrations that a change of rules or regions broke,
    # should the message sent on the organizer's save have been lost.
    "teams-recheck-registrations": {
        "task": "teams.recheck_registrations",
        "schedule": 3600.0,
        "options": {"queue": "default", "expires": 3000},
    },
    # Reminds judges whose reviews are due within 48 hours (or late), once a day.
    "judging-remind-judges": {
        "task": "judging.remind_judges",
        "schedule": 86400.0,
        "options": {"queue": "default", "expires": 3600},
    },
    # Publishes reminder e-mails the broker refused or lost.
    "judging-publish-unsent-reminders": {
        "task": "judging.publish_unsent_reminders",
        "schedule": 300.0,
        "options": {"queue": "default", "expires": 290},
    },
    # Publishes assignment runs the broker refused or lost.
    "judging-publish-unsent-runs": {
        "task": "judging.publish_unsent_runs",
        "schedule": 60.0,
        "options": {"queue": "default", "expires": 55},
    },
    # Publishes export jobs the broker never took; deletes exports older than 7 days.
    "league-export-sweep": {
        "task": "league.export_sweep",
        "schedule": 300.0,
        "options": {"queue": "default", "expires": 290},
    },
}
# Exports of at most this many rows stream in the request; larger ones run
# in the background (league/exports).
EXPORT_STREAM_MAX_ROWS = env.int("EXPORT_STREAM_MAX_ROWS", default=5000)
# How long a web request waits for the broker before keeping the work for
# the sweeper instead (R2: a submission never waits on a dead broker).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=1.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
