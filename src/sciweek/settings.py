"""One settings module for every environment, read from the environment.

Development defaults are safe and need nothing set; ``SCIWEEK_PROFILE=production`` turns on the
production profile, which refuses to start with the development secret or with DEBUG on.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


PROFILE = env("SCIWEEK_PROFILE", "development")
PRODUCTION = PROFILE == "production"
TESTING = env_bool("SCIWEEK_TESTING")

DATA_DIR = Path(env("SCIWEEK_DATA_DIR", str(PROJECT_DIR / "var"))).resolve()

DEVELOPMENT_SECRET_KEY = "sciweek-development-secret-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEBUG = env_bool("DEBUG", default=not PRODUCTION)

if PRODUCTION:
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "SCIWEEK_PROFILE=production needs SECRET_KEY set to a random value of 32+ characters."
        )
    if DEBUG:
        raise ImproperlyConfigured("SCIWEEK_PROFILE=production refuses to start with DEBUG on.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "*")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # The form renderer below finds Django's widget templates through this app.
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rules.apps.AutodiscoverRulesConfig",
    "sciweek.common",
    "sciweek.audit",
    "sciweek.accounts",
    "sciweek.organizations",
    "sciweek.campaigns",
    "sciweek.activities",
    "sciweek.bookings",
    "sciweek.reports",
    "sciweek.media",
    "sciweek.exhibition",
    "sciweek.notifications",
    "sciweek.showcase",
    "sciweek.dashboard",
    "sciweek.api",
    "sciweek.integrations",
    # No models: the `demo` and `serve` commands and the Zibo 2023 data they load.
    "sciweek.demo",
]

MIDDLEWARE = [
    # First: every response carries X-Request-ID, every log line its request's id.
    "sciweek.common.requestid.RequestIDMiddleware",
    # Outermost, so that every answer is counted, page-cache hits and refusals included.
    "sciweek.common.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "sciweek.common.requestlocal.RequestIPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Repeat anonymous visits to public pages are answered from the page cache right here.
    "sciweek.showcase.cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits; private pages answer Cache-Control: private, no-store.
    "sciweek.accounts.middleware.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "sciweek.urls"
WSGI_APPLICATION = "sciweek.wsgi.application"
ASGI_APPLICATION = "sciweek.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sciweek.common.context_processors.site",
            ],
        },
    },
]

FORM_RENDERER = "sciweek.common.forms.FormRenderer"

# Database: SQLite under the data directory unless DATABASE_URL says otherwise.
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'sciweek.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the demo server and a management command share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and soft rate limits: local memory by default, Redis when REDIS_URL is set. The cache is
# never needed to answer: when Redis refuses or hangs, each call gives up after the socket timeouts
# and answers as a miss, and Redis is left alone for CACHE_RETRY_INTERVAL seconds
# (sciweek.common.cache).
REDIS_URL = env("REDIS_URL")
CACHE_SOCKET_TIMEOUT = float(env("CACHE_SOCKET_TIMEOUT", "0.25"))
CACHE_RETRY_INTERVAL = float(env("CACHE_RETRY_INTERVAL", "15"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "sciweek.common.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "sciweek"),
            "RETRY_INTERVAL": CACHE_RETRY_INTERVAL,
            "OPTIONS": {
                "socket_connect_timeout": CACHE_SOCKET_TIMEOUT,
                "socket_timeout": CACHE_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in the database whatever the cache: office sessions are few, and a session kept
# (also) in the cache could come back from it after an outage during which its user signed out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# A signed-in session ends after this long without a request, and this long after sign-in anyway.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_ABSOLUTE_LIFETIME = env_int("SESSION_ABSOLUTE_LIFETIME", 12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME
# Administrators (organiser and area admins, site staff) must sign in with TOTP two-factor before
# the back office opens for them (TWO_FACTOR_REQUIRED_FOR_ADMINS=1 in production, once they know).
TWO_FACTOR_REQUIRED_FOR_ADMINS = env_bool("TWO_FACTOR_REQUIRED_FOR_ADMINS")
OTP_TOTP_ISSUER = "SciWeek"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "showcase:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# Login throttling: this many failures per username or per IP within the window lock it out.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 15 * 60)
# Password reset requests per client address and per typed email in a window of seconds; every
# accepted request takes at least PASSWORD_RESET_MIN_SECONDS whether or not the address is known.
PASSWORD_RESET_RATE_WINDOW = env_int("PASSWORD_RESET_RATE_WINDOW", 60 * 60)
PASSWORD_RESET_PER_IP = env_int("PASSWORD_RESET_PER_IP", 10)
PASSWORD_RESET_PER_EMAIL = env_int("PASSWORD_RESET_PER_EMAIL", 3)
PASSWORD_RESET_MIN_SECONDS = float(env("PASSWORD_RESET_MIN_SECONDS", "0.5"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
# Uploaded files are private: they are served only through views that check permission.
PRIVATE_MEDIA_ROOT = DATA_DIR / "private"
# MEDIA_STORAGE=s3 keeps both storages in S3-compatible object storage instead (any number of
# web nodes, files that survive a node): sciweek.common.objectstorage, README "Configuration".
MEDIA_STORAGE = env("MEDIA_STORAGE", "filesystem").strip().lower()
MEDIA_S3_BUCKET = env("MEDIA_S3_BUCKET")
MEDIA_S3_PUBLIC_BUCKET = env("MEDIA_S3_PUBLIC_BUCKET") or MEDIA_S3_BUCKET
MEDIA_S3_PREFIX = env("MEDIA_S3_PREFIX").strip("/")
MEDIA_S3_ENDPOINT_URL = env("MEDIA_S3_ENDPOINT_URL") or None
MEDIA_S3_REGION = env("MEDIA_S3_REGION") or None
MEDIA_S3_ACCESS_KEY_ID = env("MEDIA_S3_ACCESS_KEY_ID") or None
MEDIA_S3_SECRET_ACCESS_KEY = env("MEDIA_S3_SECRET_ACCESS_KEY") or None
MEDIA_S3_ADDRESSING_STYLE = env("MEDIA_S3_ADDRESSING_STYLE", "auto")
MEDIA_S3_SIGNATURE_VERSION = env("MEDIA_S3_SIGNATURE_VERSION", "s3v4")
MEDIA_S3_URL_LIFETIME = env_int("MEDIA_S3_URL_LIFETIME", 300)
MEDIA_S3_SERVE = env("MEDIA_S3_SERVE", "proxy").strip().lower()
MEDIA_S3_PRIVATE_ACL = env("MEDIA_S3_PRIVATE_ACL", "private")
MEDIA_S3_PUBLIC_DOMAIN = env("MEDIA_S3_PUBLIC_DOMAIN") or None
MEDIA_S3_VERIFY = env("MEDIA_S3_VERIFY", "1")


FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
if MEDIA_STORAGE == "s3":
    from sciweek.common.objectstorage import s3_storages

    MEDIA_STORAGES = s3_storages(
        bucket=MEDIA_S3_BUCKET,
        public_bucket=MEDIA_S3_PUBLIC_BUCKET,
        prefix=MEDIA_S3_PREFIX,
        endpoint_url=MEDIA_S3_ENDPOINT_URL,
        region=MEDIA_S3_REGION,
        access_key=MEDIA_S3_ACCESS_KEY_ID,
        secret_key=MEDIA_S3_SECRET_ACCESS_KEY,
        addressing_style=MEDIA_S3_ADDRESSING_STYLE,
        signature_version=MEDIA_S3_SIGNATURE_VERSION,
        url_lifetime=MEDIA_S3_URL_LIFETIME,
        serve=MEDIA_S3_SERVE,
        private_acl=MEDIA_S3_PRIVATE_ACL,
        public_domain=MEDIA_S3_PUBLIC_DOMAIN,
        verify=MEDIA_S3_VERIFY,
        max_memory_size=FILE_UPLOAD_MAX_MEMORY_SIZE,
    )
elif MEDIA_STORAGE == "filesystem":
    MEDIA_STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
        },
    }
else:
    raise ImproperlyConfigured("MEDIA_STORAGE is filesystem or s3.")
STORAGES = {
    **MEDIA_STORAGES,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# A request body other than uploaded files (a form's fields, a JSON body): larger answers 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
# Check-in opens this many minutes before a session starts and closes when it ends; outside
# that window only the organiser may check a ticket in, with an explicit (audited) override.
CHECKIN_OPENS_MINUTES_BEFORE = env_int("CHECKIN_OPENS_MINUTES_BEFORE", 120)
NOTICE_ATTACHMENT_MAX_BYTES = env_int("NOTICE_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
# Activity media (photos, micro-videos, micro-animations). Videos stream to disk above
# FILE_UPLOAD_MAX_MEMORY_SIZE; put the same limit (plus a little) in nginx client_max_body_size.
MEDIA_VIDEO_MAX_BYTES = env_int("MEDIA_VIDEO_MAX_BYTES", 200 * 1024 * 1024)
MEDIA_PHOTO_MAX_BYTES = env_int("MEDIA_PHOTO_MAX_BYTES", 20 * 1024 * 1024)
# Decoded pixels, checked from the header before decoding (decompression bombs); 40 MP is more
# than any phone saves by default.
MEDIA_PHOTO_MAX_PIXELS = env_int("MEDIA_PHOTO_MAX_PIXELS", 40_000_000)
# Hosts a livestream link may point at; an entry starting with "." allows its subdomains.
LIVESTREAM_ALLOWED_HOSTS = env_list(
    "LIVESTREAM_ALLOWED_HOSTS",
    "live.bilibili.com,www.bilibili.com,m.bilibili.com,b23.tv,channels.weixin.qq.com,"
    "live.douyin.com,www.douyin.com,v.douyin.com,live.kuaishou.com,www.kuaishou.com,"
    "v.kuaishou.com,.cctv.com,.cctv.cn,.yangshipin.cn,live.weibo.com",
)

# Mail: console in development, SMTP when EMAIL_HOST is set. Every message goes through the outbox.
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "SciWeek <noreply@sciweek.localhost>")
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
# Seconds a webhook receiver has to answer before the attempt counts as failed.
WEBHOOK_TIMEOUT = env_int("WEBHOOK_TIMEOUT", 10)
# Webhooks go to public addresses only (integrations/addresses.py); an intranet deployment whose
# receivers sit on private addresses turns this on.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)
# SMS: the backend (console | aliyun | tencent | none). Development logs each message (number
# masked); production has none until one is named, so undeliverable rows fail visibly instead of
# pretending to be sent. SMS_GATEWAY (a dotted path of any gateway class) still works and, when
# set, wins over SMS_BACKEND.
SMS_BACKEND = env("SMS_BACKEND", "none" if PRODUCTION else "console").strip().lower()
SMS_GATEWAY = env("SMS_GATEWAY")
SMS_SIGN_NAME = env("SMS_SIGN_NAME")  # 签名, as approved by the gateway
# Each message kind's approved template code: "booking.confirmed=SMS_1234,booking.waiting=SMS_5678".
SMS_TEMPLATES = dict(item.split("=", 1) for item in env_list("SMS_TEMPLATES") if "=" in item)
SMS_ENDPOINT = env("SMS_ENDPOINT")  # e.g. https://dysmsapi.aliyuncs.com; empty: the SDK's own
SMS_REGION = env("SMS_REGION")
SMS_TIMEOUT = env_int("SMS_TIMEOUT", 10)
SMS_ACCESS_KEY_ID = env("SMS_ACCESS_KEY_ID")  # Aliyun AccessKey ID / Tencent SecretId
SMS_ACCESS_KEY_SECRET = env("SMS_ACCESS_KEY_SECRET")  # Aliyun AccessKey secret / Tencent SecretKey
SMS_APP_ID = env("SMS_APP_ID")  # Tencent SmsSdkAppId
SMS_RATE_PER_PHONE = env_int("SMS_RATE_PER_PHONE", 10)
SMS_RATE_WINDOW = env_int("SMS_RATE_WINDOW", 3600)
SMS_RECEIPT_TOKEN = env("SMS_RECEIPT_TOKEN")  # secret part of the delivery-receipt callback URL

# Bookings: rate limits per client address and per mobile number, in a window of seconds.
# Ticket recovery by SMS code (/tickets/lookup/) and the gate's "send the link again".
TICKET_LOOKUP_CODES_PER_PHONE = env_int("TICKET_LOOKUP_CODES_PER_PHONE", 3)  # per hour
TICKET_LOOKUP_PER_IP = env_int("TICKET_LOOKUP_PER_IP", 20)  # code requests per hour
TICKET_LOOKUP_ATTEMPTS = env_int("TICKET_LOOKUP_ATTEMPTS", 5)  # guesses per code
TICKET_LOOKUP_CODE_MINUTES = env_int("TICKET_LOOKUP_CODE_MINUTES", 10)
TICKET_RESEND_INTERVAL = env_int("TICKET_RESEND_INTERVAL", 60)  # seconds between two sends
# The survey after a visit is open from the session's start until this many days after its end.
SURVEY_OPEN_DAYS = env_int("SURVEY_OPEN_DAYS", 14)
# Look-ups of visitors at the gate (by ID, mobile or name), per gate user per window (seconds).
GATE_LOOKUPS_PER_USER = env_int("GATE_LOOKUPS_PER_USER", 30)
GATE_LOOKUP_WINDOW = env_int("GATE_LOOKUP_WINDOW", 600)
BOOKING_RATE_LIMITS = env_bool("BOOKING_RATE_LIMITS", True)
BOOKING_RATE_WINDOW = env_int("BOOKING_RATE_WINDOW", 600)
BOOKING_RATE_PER_IP = env_int("BOOKING_RATE_PER_IP", 30)
BOOKING_RATE_PER_PHONE = env_int("BOOKING_RATE_PER_PHONE", 6)
# Personal data of bookings (ID and mobile numbers) is removed this many days after the session.
PERSONAL_DATA_RETENTION_DAYS = env_int("PERSONAL_DATA_RETENTION_DAYS", 30)

# Notices: remind unacknowledged recipients this many days after publication, then daily.
NOTICE_REMINDER_AFTER_DAYS = env_int("NOTICE_REMINDER_AFTER_DAYS", 3)
# The launch ceremony's RSVP reminders: days before the deadline, e.g. "3,1" (issue 14).
CEREMONY_RSVP_REMINDER_DAYS = env("CEREMONY_RSVP_REMINDER_DAYS", "3,1")

# Prometheus metrics at /metrics: 404 unless a bearer token or an allow-list of addresses (or
# networks, comma-separated) is set; everyone else gets 403. See docs/operations.md.
METRICS_TOKEN = env("METRICS_TOKEN")
METRICS_ALLOWED_IPS = [net.strip() for net in env("METRICS_ALLOWED_IPS").split(",") if net.strip()]

# Celery: a real broker when CELERY_BROKER_URL is set, otherwise tasks run eagerly in-process.
CELERY_TASK_ALWAYS_EAGER = not env("CELERY_BROKER_URL")
# In-memory transport when eager, so nothing tries to reach a broker that is not there.
CELERY_BROKER_URL = env("CELERY_BROKER_URL") or "memory://"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# Three queues, each for its own workers (docs/operations.md): ``mail`` (the outbox: many short
# sends), ``reports`` (compilations: a few long, memory-hungry runs) and ``default`` (everything
# else: the periodic jobs of bookings, notices and summaries).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "sciweek.notifications.tasks.*": {"queue": "mail"},
    "sciweek.reports.tasks.run_compilation": {"queue": "reports"},
}
CELERY_BEAT_SCHEDULE = {
    "send-outbox": {
        "task": "sciweek.notifications.tasks.send_pending",
        "schedule": timedelta(minutes=1),
    },
    "lapse-waiting-lists": {
        "task": "sciweek.bookings.tasks.lapse_waiting",
        "schedule": timedelta(minutes=5),
    },
    "remind-bookings": {
        "task": "sciweek.bookings.tasks.remind_tomorrow",
        "schedule": crontab(minute=15),  # hourly: a booking made today for tomorrow is reminded too
    },
    "purge-personal-data": {
        "task": "sciweek.bookings.tasks.purge_personal_data",
        "schedule": crontab(hour=3, minute=30),
    },
    "remind-reports": {
        "task": "sciweek.reports.tasks.remind_reports",
        "schedule": crontab(hour=9, minute=5),
    },
    "remind-rsvps": {
        "task": "sciweek.exhibition.tasks.remind_rsvps",
        "schedule": crontab(minute=25),  # hourly: a step comes due at the deadline's hour
    },
    "remind-unacknowledged": {
        "task": "sciweek.campaigns.tasks.remind_unacknowledged",
        "schedule": crontab(hour=9, minute=0),
    },
}

# API tokens expire this many seconds after they were issued (a new one is issued on request).
API_TOKEN_LIFETIME = env_int("API_TOKEN_LIFETIME", 30 * 24 * 60 * 60)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "sciweek.accounts.tokens.ExpiringTokenAuthentication",
        "sciweek.integrations.auth.ApiClientAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": [
        "sciweek.api.parsers.BoundedJSONParser",
        "sciweek.api.parsers.BoundedFormParser",
        "sciweek.api.parsers.BoundedMultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "sciweek.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "sciweek.api.errors.exception_handler",
    # Each API client's own rate (its requests per minute); people's calls are not counted here.
    "DEFAULT_THROTTLE_CLASSES": ["sciweek.integrations.auth.ApiClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env("API_TOKEN_THROTTLE", "20/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SciWeek API",
    "DESCRIPTION": "Public read of published content; tokens for organisations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "sciweek.api.schema.add_common_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CheckInResultEnum": "sciweek.bookings.enums.CheckInResult",
        "SummaryStateEnum": "sciweek.reports.enums.SummaryState",
        "SummaryFileKindEnum": "sciweek.reports.enums.FileKind",
        "SummaryActionEnum": "sciweek.reports.enums.SummaryAction",
        "GuestStateEnum": "sciweek.exhibition.enums.GuestState",
        "GuestCategoryKindEnum": "sciweek.exhibition.enums.GuestCategoryKind",
        "ExhibitStateEnum": "sciweek.exhibition.enums.ExhibitState",
        "ExhibitActionEnum": "sciweek.exhibition.enums.ExhibitAction",
        "ExhibitStrategyEnum": "sciweek.exhibition.enums.Strategy",
        "ExhibitMediaKindEnum": "sciweek.exhibition.enums.ExhibitMediaKind",
        "MediaKindEnum": "sciweek.media.enums.MediaKind",
        "OrganizationKindEnum": "sciweek.organizations.enums.OrganizationKind",
    },
}

# Strict CSP: no inline scripts or styles anywhere; every asset is served from this site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Logs: one JSON object per line in production (LOG_FORMAT=json), plain lines otherwise; each
# with the request id, which Celery tasks sent during a request carry too (common.requestid);
# personal data masked (common.logformat). LOG_REQUESTS writes one line per request.
LOG_FORMAT = env("LOG_FORMAT", "json" if PRODUCTION else "plain").strip().lower()
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured("LOG_FORMAT is json or plain.")
LOG_REQUESTS = env_bool("LOG_REQUESTS", PRODUCTION)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "sciweek.common.requestid.RequestContextFilter"}},
    "formatters": {
        "plain": {
            "()": "sciweek.common.logformat.PlainFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {"()": "sciweek.common.logformat.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
# The worker logs through LOGGING above (JSON in production, with each task's request id),
# not through Celery's own root handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
