"""Settings shared by every environment; values that differ per deployment come from the environment."""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

SECRET_KEY = env_str(
    "SECRET_KEY", "insecure-dev-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "pianizona",
    "risorse",
    "programmazione",
    "monitoraggio",
    "archivio",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "import_export",
    "django_htmx",
    "csp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
]

MIDDLEWARE = [
    "pianizona.middleware.HealthzMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "pianizona.middleware.IntestazioniMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pianizona.accessi.middleware.SessioneMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pianizona.accessi.middleware.MfaObbligatoriaMiddleware",
]

ROOT_URLCONF = "pianizona.urls"
WSGI_APPLICATION = "pianizona.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pianizona.accessi.context_processors.contesto",
            ],
        },
    },
]

# DATABASE_URL selects the database; the embedded SQLite file is the demo default.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'pianizona.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "pianizona.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Redis, when configured, is both the shared cache (rate limits) and the Celery broker.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "pianizona"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL) or "memory://"
# Without a broker the demo runs tasks in-process, synchronously.
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 540)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = "Europe/Rome"
# A job still queued this many seconds after its dispatch is sent again (the broker was down).
PIANIZONA_JOB_RIACCODA_SECONDI = env_int("PIANIZONA_JOB_RIACCODA_SECONDI", 300)
# Hourly: result files of long operations past their retention, and jobs no worker will finish;
# every few minutes: the queued jobs whose message never reached a worker.
CELERY_BEAT_SCHEDULE = {
    "pulisci-lavori": {"task": "pianizona.tasks.pulisci_lavori", "schedule": 3600},
    "riaccoda-lavori": {
        "task": "pianizona.tasks.riaccoda_lavori",
        "schedule": PIANIZONA_JOB_RIACCODA_SECONDI,
    },
}
# Days a long operation's result file is kept (pianizona.lavori); then it is deleted.
PIANIZONA_JOB_CONSERVAZIONE_GIORNI = env_int("PIANIZONA_JOB_CONSERVAZIONE_GIORNI", 7)
# An approved version's PDF is laid out by the worker right after approval (see programmazione.tasks).
PIANIZONA_PDF_ALL_APPROVAZIONE = env_bool("PIANIZONA_PDF_ALL_APPROVAZIONE", True)

LANGUAGE_CODE = "it"
LANGUAGES = [("it", "Italiano")]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
# Media are never served as static files: downloads go through permission-checked views.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Archivio: largest file accepted (bytes); public adhesion form: accepted requests per IP, per
# receiving e-mail address and per ambito a day, signed forms kept across errors per IP, and the
# seconds a person needs at least to fill it in (faster is a bot).
ARCHIVIO_DIMENSIONE_MASSIMA = env_int("ARCHIVIO_DIMENSIONE_MASSIMA", 20 * 1024 * 1024)
ARCHIVIO_ADESIONI_LIMITE = env_str("ARCHIVIO_ADESIONI_LIMITE", "5/h/ip,20/d/ip")
ARCHIVIO_ADESIONI_PER_EMAIL_AL_GIORNO = env_int("ARCHIVIO_ADESIONI_PER_EMAIL_AL_GIORNO", 3)
ARCHIVIO_ADESIONI_PER_AMBITO_AL_GIORNO = env_int("ARCHIVIO_ADESIONI_PER_AMBITO_AL_GIORNO", 30)
ARCHIVIO_ADESIONI_FILE_TRATTENUTI = env_str("ARCHIVIO_ADESIONI_FILE_TRATTENUTI", "20/h/ip")
ARCHIVIO_ADESIONE_SECONDI_MINIMI = env_int("ARCHIVIO_ADESIONE_SECONDI_MINIMI", 5)
# Spreadsheet imports: checked before and while a file is read (pianizona/importazioni/foglio.py);
# a pending preview keeps at most PIANIZONA_IMPORT_MAX_IN_SOSPESO compressed bytes.
PIANIZONA_IMPORT_MAX_BYTES = env_int("PIANIZONA_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
PIANIZONA_IMPORT_MAX_RIGHE = env_int("PIANIZONA_IMPORT_MAX_RIGHE", 20_000)
PIANIZONA_IMPORT_MAX_COLONNE = env_int("PIANIZONA_IMPORT_MAX_COLONNE", 200)
PIANIZONA_IMPORT_MAX_CELLE = env_int("PIANIZONA_IMPORT_MAX_CELLE", 500_000)
PIANIZONA_IMPORT_MAX_CARATTERI = env_int("PIANIZONA_IMPORT_MAX_CARATTERI", 10_000)
PIANIZONA_IMPORT_MAX_DECOMPRESSO = env_int("PIANIZONA_IMPORT_MAX_DECOMPRESSO", 50 * 1024 * 1024)
PIANIZONA_IMPORT_MAX_VOCI_ZIP = env_int("PIANIZONA_IMPORT_MAX_VOCI_ZIP", 1_000)
PIANIZONA_IMPORT_MAX_RAPPORTO_ZIP = env_int("PIANIZONA_IMPORT_MAX_RAPPORTO_ZIP", 100)
PIANIZONA_IMPORT_MAX_IN_SOSPESO = env_int("PIANIZONA_IMPORT_MAX_IN_SOSPESO", 2 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Sessions expire after a period of inactivity: every page renews the expiry, an htmx partial at
# most once a minute (pianizona.accessi.middleware.SessioneMiddleware).
SESSION_COOKIE_AGE = env_int("SESSION_TIMEOUT_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A form sent without its token (an expired page, another site) gets our page, in Italian.
CSRF_FAILURE_VIEW = "pianizona.errors.csrf_failure"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline or third-party scripts anywhere; inline style attributes only (the Django admin uses them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],  # Bootstrap Italia embeds one icon font
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
    }
}

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: login by e-mail, no public sign-up, rate limits on the shared cache.
ACCOUNT_ADAPTER = "pianizona.accessi.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "pianizona.accessi.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# The invitation link logs the user in (second factor first, if any): officers then enrol TOTP.
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Piani di Zona] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Unknown addresses get no e-mail at all (no «sign up» invitation: sign-up is closed).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# The login address is the administrator's to set (services.user_email_vouch): one per account.
ACCOUNT_MAX_EMAIL_ADDRESSES = 1
# Every security change (password, second factor, recovery codes) is told to the account's owner.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Behind the reverse proxy: how many proxies of ours append to X-Forwarded-For (nginx alone: 1),
# or the one header a proxy sets to the client's address. allauth's limits and ours read them
# through accessi.rete.indirizzo_client; 0 and unset trust no header (REMOTE_ADDR is the client).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("PIANIZONA_PROXY_FIDATI", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("PIANIZONA_IP_CLIENTE_INTESTAZIONE", "") or None
# "key" is the account *and* the client address (accessi.adapters), for passwords; on top, each
# further failure doubles that address's pause on that account (accessi.blocchi). No flat lock
# anyone could keep on someone else's account. MFA codes keep allauth's limit per account.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Piani di Zona"
# Roles for which a second factor is mandatory: regional officers and administrators.
PIANIZONA_MFA_OBBLIGATORIA = env_bool("PIANIZONA_MFA_OBBLIGATORIA", True)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Piani di Zona <noreply@pianizona.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Read-only API (pianizona.api): keys or the session, JSON only, errors as {"errore", "dettagli"}.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "pianizona.api.autenticazione.ChiaveApiAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["pianizona.api.limiti.LimitePerChiamante"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["pianizona.api.filtri.FiltriRigorosi"],
    "DEFAULT_PAGINATION_CLASS": "pianizona.api.paginazione.Paginazione",
    "DEFAULT_SCHEMA_CLASS": "pianizona.api.schema.SchemaApi",
    "EXCEPTION_HANDLER": "pianizona.api.errori.gestore_eccezioni",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
}
# Requests per minute for a signed-in user calling the API with the session (keys have their own).
PIANIZONA_API_LIMITE_SESSIONE = env_int("PIANIZONA_API_LIMITE_SESSIONE", 120)
# Requests per minute per client address without valid credentials (none, or a wrong key).
PIANIZONA_API_LIMITE_ANONIMI = env_int("PIANIZONA_API_LIMITE_ANONIMI", 30)
SPECTACULAR_SETTINGS = {
    "TITLE": "Piani di Zona – API",
    "DESCRIPTION": (
        "API in sola lettura sui piani di zona: territori, cicli, piani e versioni, budget, "
        "schede e allocazioni, monitoraggio, indicatori, enti aderenti. Accesso con chiave "
        "(intestazione `Authorization: Bearer <chiave>` o `X-API-Key`) o con la sessione."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "chiaveHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        }
    },
    "SECURITY": [{"chiaveHeader": []}],
}
