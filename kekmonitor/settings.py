"""Django settings for KEK-Monitor, read from the environment with safe local defaults."""

from __future__ import annotations

import datetime
import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KEK_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Parse a boolean environment variable strictly ("1/true/yes" or "0/false/no")."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} muss ein Wahrheitswert sein (1/0, true/false), nicht {raw!r}."
    )


def env_secret(name: str) -> str | None:
    """Read a secret from NAME or from the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name) or None


def env_list(name: str, default: list[str]) -> list[str]:
    """Parse a comma-separated list."""
    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# KEK_PRODUCTION=1 turns on the strict checks (no generated SECRET_KEY, secure cookies, HSTS).
PRODUCTION = env_bool("KEK_PRODUCTION", False)


def _local_secret_key() -> str:
    """Generate a secret key once for the local demo and keep it under var/."""
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


SECRET_KEY = env_secret("SECRET_KEY") or ""
if not SECRET_KEY:
    if PRODUCTION:
        # German: `kek` prints this one line (settings are read before translations exist).
        raise ImproperlyConfigured(
            "SECRET_KEY (oder SECRET_KEY_FILE) muss im Produktivbetrieb gesetzt sein."
        )
    SECRET_KEY = _local_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "accounts.apps.BackOfficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "accounts",
    "plans",
    "search",
    "monitoring",
    "indicators",
    "reports",
    "simple_history",
    "axes",
    "portal",
    "ninja",
    "api",
    "operations",
    "council",
    "sitexport",
]

MIDDLEWARE = [
    # Request id and one JSON log line per request (production).
    "operations.request_log.RequestLogMiddleware",
    # /healthz first: answered before the host check and the https redirect.
    "operations.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    # The API's rate limit, CORS and conditional GET (only under /api/).
    "api.middleware.ApiMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Lets the audit trail (django-simple-history) record the signed-in user of a request.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Login rate limiting (django-axes): last, so it sees the outcome of every login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kekmonitor.urls"

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
                "sitexport.context.static_site",
            ],
        },
    },
]

WSGI_APPLICATION = "kekmonitor.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'kekmonitor.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the portal read while an import or a report is being written.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        # A write waits this long for another one's lock instead of failing "database is locked".
        "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT_SECONDS", "20")),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation. The planner overestimates the "newest published report" rule (a
    # correlated subquery per report) and compiled it on every whole-plan status read: at the
    # 100× plan 270 of its 430 ms went to the compiler, and a page's first rendering after a
    # publication took 0.5 s instead of 0.25 s (benchmarks/mixed_traffic.py, session 8).
    # Options given in DATABASE_URL (`?options=…`) are kept.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# django-axes first: it refuses authentication while a login is locked out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in with the county's directory (accounts/ldap.py) when LDAP_SERVER_URI is set.
LDAP_SERVER_URI = os.environ.get("LDAP_SERVER_URI", "")
KEK_LDAP_ROLE_MAPPING: list[dict[str, str]] = json.loads(
    (Path(os.environ["LDAP_ROLE_MAPPING_FILE"]).read_text(encoding="utf-8"))
    if os.environ.get("LDAP_ROLE_MAPPING_FILE")
    else os.environ.get("LDAP_ROLE_MAPPING") or "[]"
)


def ldap_settings(env: dict[str, str]) -> dict[str, object]:
    """django-auth-ldap's settings from LDAP_* variables (see README, "Betrieb")."""
    import ldap
    from django_auth_ldap.config import (
        GroupOfNamesType,
        LDAPSearch,
        NestedActiveDirectoryGroupType,
    )

    tls_options: dict[int, object] = {ldap.OPT_X_TLS_REQUIRE_CERT: ldap.OPT_X_TLS_DEMAND}
    if env.get("LDAP_CA_FILE"):
        tls_options[ldap.OPT_X_TLS_CACERTFILE] = env["LDAP_CA_FILE"]
    return {
        "AUTH_LDAP_SERVER_URI": env["LDAP_SERVER_URI"],
        "AUTH_LDAP_BIND_DN": env.get("LDAP_BIND_DN", ""),
        "AUTH_LDAP_BIND_PASSWORD": env.get("LDAP_BIND_PASSWORD", ""),
        "AUTH_LDAP_START_TLS": env.get("LDAP_START_TLS", "").lower() in {"1", "true", "yes"},
        "AUTH_LDAP_GLOBAL_OPTIONS": tls_options,
        "AUTH_LDAP_CONNECTION_OPTIONS": {ldap.OPT_REFERRALS: 0, ldap.OPT_NETWORK_TIMEOUT: 5},
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(
            env.get("LDAP_USER_BASE", ""),
            ldap.SCOPE_SUBTREE,
            env.get("LDAP_USER_FILTER", "(uid=%(user)s)"),
        ),
        "AUTH_LDAP_GROUP_SEARCH": LDAPSearch(
            env.get("LDAP_GROUP_BASE", ""), ldap.SCOPE_SUBTREE, "(objectClass=*)"
        ),
        "AUTH_LDAP_GROUP_TYPE": (
            NestedActiveDirectoryGroupType()
            if env.get("LDAP_GROUP_TYPE") == "active-directory"
            else GroupOfNamesType()
        ),
        "AUTH_LDAP_USER_ATTR_MAP": {"first_name": "givenName", "last_name": "sn", "email": "mail"},
        "AUTH_LDAP_CACHE_TIMEOUT": 0,
    }


if LDAP_SERVER_URI:
    globals().update(
        ldap_settings({**os.environ, "LDAP_BIND_PASSWORD": env_secret("LDAP_BIND_PASSWORD") or ""})
    )
    AUTHENTICATION_BACKENDS.insert(1, "accounts.ldap.DirectoryBackend")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch")]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# Front-end packages from npm (package-lock.json, installed by `make setup`), served from
# node_modules under a prefix and collected like any static file; never copied into the repo.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/kern", NODE_MODULES / "@kern-ux/native/dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org/dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Security: strict by default, relaxed only where the local demo needs plain HTTP.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Behind a trusted reverse proxy that terminates TLS and always sets X-Forwarded-Proto
# (deploy/nginx/kek-monitor.conf): requests it marks https count as secure.
if env_list("KEK_TRUSTED_PROXIES", []):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The largest form body read into memory (files excepted). The biggest form is a status
# report: 8,300 characters of text (StatusReport.TEXT_LIMITS), at most 12 bytes each when
# URL-encoded, plus its steps; the back office's catalogue forms are smaller. A larger body
# gets the German 400 page instead of filling memory and every history row.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 512 * 1024))

# The staff area (/intern/) and its login.
LOGIN_URL = "/anmelden/"
LOGIN_REDIRECT_URL = "/intern/"
LOGOUT_REDIRECT_URL = "/anmelden/"

# Login limits (accounts/login_limits.py on django-axes, failures stored in the database):
# an account is locked after 5 failures from any addresses, 1 minute after the last failure,
# doubling with each further failure (at most 1 hour); a client address after 30 failures for
# any usernames within 15 minutes. Failures are forgotten a day after the last one.
KEK_LOGIN_ACCOUNT_LIMIT = int(os.environ.get("KEK_LOGIN_ACCOUNT_LIMIT", "5"))
KEK_LOGIN_ADDRESS_LIMIT = int(os.environ.get("KEK_LOGIN_ADDRESS_LIMIT", "30"))
KEK_LOGIN_ADDRESS_WINDOW_MINUTES = int(os.environ.get("KEK_LOGIN_ADDRESS_WINDOW_MINUTES", "15"))
# Behind a reverse proxy: its addresses (or networks) and the header it puts the client's
# address in. The header is believed only from these senders; without them, REMOTE_ADDR.
KEK_TRUSTED_PROXIES = env_list("KEK_TRUSTED_PROXIES", [])
KEK_CLIENT_IP_HEADER = os.environ.get("KEK_CLIENT_IP_HEADER", "X-Forwarded-For")
AXES_HANDLER = "accounts.login_limits.LoginLimitHandler"
AXES_CLIENT_IP_CALLABLE = "accounts.login_limits.client_address"
AXES_FAILURE_LIMIT = 1  # LoginLimitHandler.get_failures answers 1 while a lock holds
AXES_COOLOFF_TIME = datetime.timedelta(days=1)  # how long failures are remembered
AXES_LOCKOUT_PARAMETERS = ["username"]  # a successful login forgets its account's failures
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a failure while locked is not counted
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Axes warns that "username" alone lets rotating clients bypass it: the address limit of
# LoginLimitHandler covers that (accounts/tests/test_login_limits.py).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True

# E-mail (reminders to the offices): printed on the console unless configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "kek-monitor@example.invalid"
# The address of this installation, for links in e-mails (no request to derive it from).
KEK_BASE_URL = os.environ.get("KEK_BASE_URL") or "http://127.0.0.1:8000"
# An office reminded in a round is not reminded again within this many hours.
KEK_REMINDER_QUIET_HOURS = int(os.environ.get("KEK_REMINDER_QUIET_HOURS", "20"))

# Contact address for accessibility feedback, shown in the accessibility statement.
KEK_CONTACT_EMAIL = os.environ.get("KEK_CONTACT_EMAIL") or "kreisentwicklung@example.invalid"
# The accessibility statement (BITV 2.0): when it was written and when the pages were last
# tested (ISO dates), and the postal address and web page of the Saxon enforcement body
# (shown when set; `kek check --deploy` warns about an example.invalid contact address).
KEK_ACCESSIBILITY_STATEMENT_DATE = (
    os.environ.get("KEK_ACCESSIBILITY_STATEMENT_DATE") or "2026-12-06"
)
KEK_ACCESSIBILITY_TEST_DATE = os.environ.get("KEK_ACCESSIBILITY_TEST_DATE") or "2026-12-06"
KEK_ENFORCEMENT_BODY_ADDRESS = os.environ.get("KEK_ENFORCEMENT_BODY_ADDRESS") or ""
KEK_ENFORCEMENT_BODY_URL = os.environ.get("KEK_ENFORCEMENT_BODY_URL") or ""

# Open data (/daten/): publisher, licence and the DCAT-AP.de metadata that portals harvest.
KEK_PUBLISHER = os.environ.get("KEK_PUBLISHER") or "Landkreis Leipzig"
KEK_DATA_LICENSE = (
    os.environ.get("KEK_DATA_LICENSE") or "Datenlizenz Deutschland – Namensnennung – Version 2.0"
)
KEK_DATA_LICENSE_URL = (
    os.environ.get("KEK_DATA_LICENSE_URL") or "https://www.govdata.de/dl-de/by-2-0"
)
# The same licence in the DCAT-AP.de licence vocabulary (dct:license).
KEK_DATA_LICENSE_DCAT = (
    os.environ.get("KEK_DATA_LICENSE_DCAT") or "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
)
# dcatde:contributorID: the ID GovData assigns to the publishing body; set it on registration.
# GovData accepts only the IDs of its list (http://dcat-ap.de/def/contributors/); the default
# is a placeholder until the county is registered (portal/README.md, "DCAT-AP.de").
KEK_DCAT_CONTRIBUTOR_PLACEHOLDER = "http://dcat-ap.de/def/contributors/landkreisLeipzig"
KEK_DCAT_CONTRIBUTOR_ID = (
    os.environ.get("KEK_DCAT_CONTRIBUTOR_ID") or KEK_DCAT_CONTRIBUTOR_PLACEHOLDER
)
# dcatde:politicalGeocodingURI: the area the data covers (district key 14729: Landkreis Leipzig).
KEK_DCAT_GEOCODING_URI = (
    os.environ.get("KEK_DCAT_GEOCODING_URI")
    or "http://dcat-ap.de/def/politicalGeocoding/districtKey/14729"
)

# Logs go to stderr (journald under systemd). In production (or LOG_FORMAT=json) as JSON
# lines with request id, user id and timings (operations/request_log.py); no personal data.
LOG_FORMAT = os.environ.get("LOG_FORMAT") or ("json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "operations.request_log.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "operations.request_log.JsonLinesFormatter"},
        "text": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # One line per request in production; set LOG_LEVEL_REQUESTS=WARNING to silence.
        "kek.request": {
            "level": os.environ.get(
                "LOG_LEVEL_REQUESTS", "INFO" if LOG_FORMAT == "json" else "WARNING"
            )
        },
    },
}

# The plan the public portal shows, and how long a rendered page may be reused (it is keyed by
# the plan's revision, so a change is visible on the next request anyway).
KEK_PLAN_SLUG = os.environ.get("KEK_PLAN_SLUG", "kek-2030")
KEK_PAGE_CACHE_SECONDS = int(os.environ.get("KEK_PAGE_CACHE_SECONDS", "3600"))
# How often a cached page's hit checks the plan's revision in the database (portal/caching.py):
# unset, every hit with a cache of one process, every 10 s with a shared cache (Redis).
KEK_PAGE_CACHE_CHECK_SECONDS: int | None = (
    int(os.environ["KEK_PAGE_CACHE_CHECK_SECONDS"])
    if os.environ.get("KEK_PAGE_CACHE_CHECK_SECONDS")
    else None
)
# A page that lists statuses (lists, roll-ups, the start page) is rendered anew at most once in
# this many seconds after a publication; until then it shows the previous rendering. A measure's
# own page shows a published report at once (portal/caching.py, portal/README.md "Cache").
KEK_STATUS_LISTS_REFRESH_SECONDS = int(os.environ.get("KEK_STATUS_LISTS_REFRESH_SECONDS", "10"))
# The API's rate limit: requests per client (token or IP address) and window (api/README.md).
KEK_API_RATE_LIMIT = int(os.environ.get("KEK_API_RATE_LIMIT", "120"))
KEK_API_RATE_WINDOW_SECONDS = int(os.environ.get("KEK_API_RATE_WINDOW_SECONDS", "60"))
# The open-data files, built once per change of the plan (portal/README.md): where they are
# stored, and how a request that finds them older than the plan behaves: "background" serves
# them and rebuilds in a thread, "inline" builds them first (the tests).
KEK_DOWNLOADS_DIR = Path(os.environ.get("KEK_DOWNLOADS_DIR") or VAR_DIR / "downloads")
KEK_DOWNLOADS_REBUILD = os.environ.get("KEK_DOWNLOADS_REBUILD", "background")
if KEK_DOWNLOADS_REBUILD not in ("background", "inline"):
    raise ImproperlyConfigured("KEK_DOWNLOADS_REBUILD muss background oder inline sein.")
# After a build, the next one waits this many times its duration (changes are merged meanwhile):
# the builder thread takes at most 1/(1 + factor) of a core while a round publishes every second.
KEK_DOWNLOADS_REST_FACTOR = float(os.environ.get("KEK_DOWNLOADS_REST_FACTOR", "3"))
# The builder thread's niceness (0–19): requests go first while it builds. 19, not 10: at the
# 100× plan with a publication a second, the requests kept 0.84–0.88 of their rate instead of
# 0.76–0.77 (benchmarks/mixed_traffic.py on PostgreSQL, session 8); the files may lag more.
KEK_DOWNLOADS_NICE = int(os.environ.get("KEK_DOWNLOADS_NICE", "19"))
# "idle" (Linux SCHED_IDLE): the builder thread runs only on a core no request wants; "nice":
# at KEK_DOWNLOADS_NICE only. At the 100× plan with a publication a second, the p99 of the
# requests was 1.31 / 1.61 times its value without publications with "idle", 1.79 with "nice"
# (benchmarks/mixed_traffic.py on PostgreSQL, session 10).
KEK_DOWNLOADS_SCHEDULING = os.environ.get("KEK_DOWNLOADS_SCHEDULING", "idle")
if KEK_DOWNLOADS_SCHEDULING not in ("idle", "nice"):
    raise ImproperlyConfigured("KEK_DOWNLOADS_SCHEDULING muss idle oder nice sein.")


def cache_from_url(url: str | None) -> dict[str, object]:
    """The default cache: this process's memory, or Redis shared by several servers.

    CACHE_URL=redis://HOST:PORT/DB (also rediss:// with TLS, unix:///PATH?db=N) selects
    Django's Redis backend; without it each process keeps its own cache (one server).
    """
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "kek-monitor",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "kek",
        }
    raise ImproperlyConfigured(
        "CACHE_URL muss mit redis://, rediss:// oder unix:// beginnen (oder leer sein)."
    )


CACHES = {"default": cache_from_url(env_secret("CACHE_URL"))}
