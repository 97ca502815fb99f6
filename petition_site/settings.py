"""Settings for the petition site, read from the environment (and an optional `.env`).

Every variable is documented in README.md. The rules: production needs no file edits, only
environment variables; a missing or malformed value stops the process at start-up with a
message that names the variable, instead of surfacing later as a 500.
"""

import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")


def _setting(name, cast, **kwargs):
    """Read one variable, turning a malformed value into a clear start-up error."""
    try:
        return cast(name, **kwargs)
    except ImproperlyConfigured:
        raise
    except Exception as error:
        raise ImproperlyConfigured(
            f"The environment variable {name} is invalid: {error}"
        ) from error


_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


def _bool(name, default):
    """Like env.bool, but a value that is neither true nor false is an error, not False."""
    value = env.str(name, default=str(default)).strip().lower()
    if value not in _TRUE | _FALSE:
        raise ImproperlyConfigured(
            f"The environment variable {name} is invalid: use true or false, not {value!r}."
        )
    return value in _TRUE


DEBUG = _bool("DEBUG", default=False)

if DEBUG:
    # Only a development server may run on a key everybody can read in this file.
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-do-not-use-in-production")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "Set SECRET_KEY to a random string of at least 32 characters "
            "(or DEBUG=true for local development)."
        )

ALLOWED_HOSTS = _setting(
    "ALLOWED_HOSTS", env.list, default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = _setting("CSRF_TRUSTED_ORIGINS", env.list, default=[])

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    # The admin site itself: the campaign first, a second factor (petition_site/apps.py).
    "petition_site.apps.CampaignAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
    "django_otp",
    # Third-party apps under names organizers understand (petition_site/apps.py).
    "petition_site.apps.AuthenticatorAppsConfig",
    "petition_site.apps.RecoveryCodesConfig",
    "petition_site.apps.SignInAttemptsConfig",
    # Before django-tasks-db: its `db_worker` command, with heartbeats and recovery.
    "worker",
    "petition_site.apps.BackgroundTasksConfig",
    "django_recaptcha",
    "petitions",
    "signatures",
]

MIDDLEWARE = [
    "petition_site.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "petition_site.middleware.PermissionsPolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A public page kept from an earlier visit is served here, in its language, before
    # sessions, CSRF and authentication run (petition_site/page_cache.py).
    "petition_site.page_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before anything that does work: a request that waited too long is answered 503 at once.
    "petition_site.shedding.LoadSheddingMiddleware",
    "petition_site.middleware.ReadableBodyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks request.user as verified when the session holds a confirmed OTP device.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "petition_site.urls"
WSGI_APPLICATION = "petition_site.wsgi.application"

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
                "petition_site.context_processors.language_alternates",
            ],
        },
    },
]

# Form widgets render through TEMPLATES, so templates/ can override a package's widget.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
# The project's own corrections to Django's locale formats (petition_site/formats/).
FORMAT_MODULE_PATH = ["petition_site.formats"]

# Development runs on an embedded SQLite file with no set-up at all; tests and production
# name their PostgreSQL server through DATABASE_URL.
if DEBUG:
    DATABASES = {
        "default": _setting(
            "DATABASE_URL", env.db_url, default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
        )
    }
else:
    if "DATABASE_URL" not in env:
        raise ImproperlyConfigured("Set DATABASE_URL, e.g. postgres://user:password@host/name.")
    DATABASES = {"default": _setting("DATABASE_URL", env.db_url)}
DATABASES["default"]["CONN_MAX_AGE"] = _setting("CONN_MAX_AGE", env.int, default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Fail fast (README: "Timeouts and load shedding"). A database that does not answer costs a
# request seconds, not the worker's 30: the page says 503, try again. Commands (`manage.py`:
# migrate, the worker, anonymisation) may run long statements; their limit is separate,
# none by default.
DATABASE_CONNECT_TIMEOUT = _setting("DATABASE_CONNECT_TIMEOUT", env.int, default=3)
_statement_timeout_name = (
    "DATABASE_COMMAND_STATEMENT_TIMEOUT"
    if Path(sys.argv[0]).name == "manage.py"
    else "DATABASE_STATEMENT_TIMEOUT"
)
DATABASE_STATEMENT_TIMEOUT = _setting(
    _statement_timeout_name,
    env.float,
    default=0 if _statement_timeout_name == "DATABASE_COMMAND_STATEMENT_TIMEOUT" else 5,
)
if DATABASE_CONNECT_TIMEOUT < 0 or DATABASE_STATEMENT_TIMEOUT < 0:
    raise ImproperlyConfigured(
        f"DATABASE_CONNECT_TIMEOUT and {_statement_timeout_name} must be 0 (no limit) or more."
    )
# What a 503 asks the browser to wait before trying again, in seconds.
DATABASE_RETRY_AFTER = 10
OVERLOAD_RETRY_AFTER = 5
# Load shedding (petition_site/shedding.py): a request that waited longer than this many
# seconds for a worker is answered 503 without being served; 0 turns shedding off.
REQUEST_QUEUE_TIMEOUT = _setting("REQUEST_QUEUE_TIMEOUT", env.float, default=0.5)
if REQUEST_QUEUE_TIMEOUT < 0:
    raise ImproperlyConfigured("REQUEST_QUEUE_TIMEOUT must be 0 (no shedding) or more.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, whose connections wait at most answer_timeout seconds for any answer:
    # a frozen server cannot enforce its own statement timeout (petition_site/postgresql).
    DATABASES["default"]["ENGINE"] = "petition_site.postgresql"
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["answer_timeout"] = (
        DATABASE_STATEMENT_TIMEOUT + 1 if DATABASE_STATEMENT_TIMEOUT else None
    )
    # libpq counts the connect timeout per address and treats less than 2 as 2.
    _options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
    # Set when the connection starts: no extra round trip per request.
    _options["options"] = (
        f"{_options.get('options', '')} "
        f"-c statement_timeout={round(DATABASE_STATEMENT_TIMEOUT * 1000)}"
    ).strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes' backend comes first: it refuses a locked-out login before a password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages. The first code of LANGUAGES is the default: the one a visitor gets when the
# browser asks for none of them. Adding a language (e.g. Kyrgyz, "ky") is this variable plus a
# catalogue in locale/ plus `makemigrations` for the translated columns.
_language_codes = _setting("LANGUAGES", env.list, default=["ru", "en"])
for _code in _language_codes:
    if _code not in LANG_INFO or "name_local" not in LANG_INFO[_code]:
        raise ImproperlyConfigured(f"LANGUAGES contains {_code!r}, which Django does not know.")
LANGUAGES = [(code, LANG_INFO[code]["name_local"]) for code in _language_codes]
LANGUAGE_CODE = _language_codes[0]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Bishkek")

# A missing translation falls back through the other languages in order, so a page is never
# empty while a translator catches up.
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": tuple(_language_codes)}
# The admin's translation tabs need jQuery UI; serve it ourselves instead of from a CDN.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
# The ALTCHA widget's files, built from its npm package by `make widget` (Makefile).
STATICFILES_DIRS = [BASE_DIR / "static", ("altcha", BASE_DIR / "var" / "altcha")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email (Django 6.1 mailers). EMAIL_URL takes the django-environ forms: smtp://, smtp+tls://,
# smtp+ssl://, consolemail://, filemail://, memorymail://, dummymail://.
_email = _setting(
    "EMAIL_URL", env.email_url, default="consolemail://" if DEBUG else "smtp://localhost:25"
)
_EMAIL_OPTIONS = {  # django-environ's names -> the backends' OPTIONS
    "smtp": {
        "EMAIL_HOST": "host",
        "EMAIL_PORT": "port",
        "EMAIL_HOST_USER": "username",
        "EMAIL_HOST_PASSWORD": "password",
        "EMAIL_USE_TLS": "use_tls",
        "EMAIL_USE_SSL": "use_ssl",
        "EMAIL_TIMEOUT": "timeout",
    },
    "filebased": {"EMAIL_FILE_PATH": "file_path"},
}
_backend_kind = _email["EMAIL_BACKEND"].rsplit(".", 2)[-2]
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {
            option: _email[key]
            for key, option in _EMAIL_OPTIONS.get(_backend_kind, {}).items()
            if _email.get(key) not in (None, "")
        },
    }
}
if _backend_kind == "smtp":
    MAILERS["default"]["OPTIONS"].setdefault("timeout", 20)
if DEBUG and _backend_kind == "console":
    # Development prints emails with their text readable, links whole (petition_site/mail.py).
    MAILERS["default"]["BACKEND"] = "petition_site.mail.ReadableConsoleBackend"
# The site's public address, for links in emails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        "Set SITE_URL to the site's address, e.g. https://petition.example.org"
    )
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="petition@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Privacy keys. PRIVACY_HASH_KEY makes the keyed hashes of emails and IP addresses (it cannot
# change once signatures exist: it is how the same email is recognised). EMAIL_ENCRYPTION_KEYS
# are Fernet keys, newest first: the first encrypts, all decrypt (see README: key rotation).
if DEBUG:
    PRIVACY_HASH_KEY = env.str("PRIVACY_HASH_KEY", default="insecure-development-hash-key")
    EMAIL_ENCRYPTION_KEYS = _setting(
        "EMAIL_ENCRYPTION_KEYS",
        env.list,
        default=["ZGV2ZWxvcG1lbnQta2V5LWRvLW5vdC11c2UtaXQtISE="],
    )
else:
    PRIVACY_HASH_KEY = env.str("PRIVACY_HASH_KEY", default="")
    EMAIL_ENCRYPTION_KEYS = _setting("EMAIL_ENCRYPTION_KEYS", env.list, default=[])
    if len(PRIVACY_HASH_KEY) < 32 or not EMAIL_ENCRYPTION_KEYS:
        raise ImproperlyConfigured(
            "Set PRIVACY_HASH_KEY (32+ random characters) and EMAIL_ENCRYPTION_KEYS "
            "(Fernet keys, comma-separated); README says how to make them."
        )
# Behind reverse proxies, how many of them append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = _setting("TRUSTED_PROXY_COUNT", env.int, default=0)

# Organizers' access (README: "Organizers' access"). The admin lives at a path of the
# deployment's choosing, asks staff for a one-time password, and locks out a username at an
# address after repeated failed logins.
ADMIN_URL = env.str("ADMIN_URL", default="admin/")
if not ADMIN_URL.endswith("/") or ADMIN_URL.startswith("/"):
    raise ImproperlyConfigured(
        f"ADMIN_URL must be a path such as organizers/: ending in / and not starting with /, "
        f"not {ADMIN_URL!r}."
    )
ADMIN_REQUIRE_OTP = _bool("ADMIN_REQUIRE_OTP", default=not DEBUG)
# Authenticator apps list the device under the site's host name.
OTP_TOTP_ISSUER = urlsplit(SITE_URL).hostname
AXES_FAILURE_LIMIT = _setting("AXES_FAILURE_LIMIT", env.int, default=5)
_cool_off_minutes = _setting("AXES_COOLOFF_MINUTES", env.int, default=60)
if AXES_FAILURE_LIMIT < 1 or _cool_off_minutes < 1:
    raise ImproperlyConfigured("AXES_FAILURE_LIMIT and AXES_COOLOFF_MINUTES must be at least 1.")
AXES_COOLOFF_TIME = timedelta(minutes=_cool_off_minutes)
# Locking a username alone would let anyone lock an organizer out; the pair locks only the
# address that guessed.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "signatures.privacy.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
# Keep no record of successful logins and their addresses; failed ones go after the cool-off.
AXES_DISABLE_ACCESS_LOG = True
# A failed attempt's form data is kept for the admin to see; never the one-time code.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]

# Signing.
SIGNATURE_RATE_LIMIT = _setting("SIGNATURE_RATE_LIMIT", env.int, default=20)
SIGNATURE_RATE_WINDOW = _setting("SIGNATURE_RATE_WINDOW", env.int, default=3600)
# The limit for a signature sent without the CAPTCHA's solution (a browser without
# JavaScript, or a script): it counts every signature from the address in the window.
SIGNATURE_RATE_LIMIT_UNSOLVED = _setting("SIGNATURE_RATE_LIMIT_UNSOLVED", env.int, default=5)
SIGNATURE_MAX_EMAILS = 5
# How long each emailed link works, in days (signatures/links.py). A reply notification's
# stop link is made fresh for each email, so a year covers going back to an old one.
CONFIRM_LINK_DAYS = _setting("CONFIRM_LINK_DAYS", env.int, default=30)
WITHDRAW_LINK_DAYS = _setting("WITHDRAW_LINK_DAYS", env.int, default=365)
STOP_REPLIES_LINK_DAYS = _setting("STOP_REPLIES_LINK_DAYS", env.int, default=365)
# Every mailing's unsubscribe link, made fresh for each email.
UNSUBSCRIBE_LINK_DAYS = _setting("UNSUBSCRIBE_LINK_DAYS", env.int, default=365)
PUBLIC_COUNT_CACHE_SECONDS = 5
# Public pages are kept whole this long, by the app (petition_site/page_cache.py) and by a
# proxy in front (their s-maxage): the count they show may be this many seconds old.
PAGE_CACHE_SECONDS = PUBLIC_COUNT_CACHE_SECONDS
# Days after a petition ends before its signers' names, emails and hashes are erased.
ANONYMISE_AFTER_DAYS = _setting("ANONYMISE_AFTER_DAYS", env.int, default=90)
# The admin's "Trending sources" lists an IP hash or email domain with this many signatures
# in the last hour.
TRENDING_SOURCE_THRESHOLD = _setting("TRENDING_SOURCE_THRESHOLD", env.int, default=10)

# Mailings to signers (signatures/mailings.py): the worker sends MAILING_BATCH_SIZE emails,
# then pauses so that no more than MAILING_RATE_PER_MINUTE leave in any minute (a mail
# provider's limit).
MAILING_RATE_PER_MINUTE = _setting("MAILING_RATE_PER_MINUTE", env.int, default=120)
MAILING_BATCH_SIZE = _setting("MAILING_BATCH_SIZE", env.int, default=50)
if MAILING_RATE_PER_MINUTE <= 0 or MAILING_BATCH_SIZE <= 0:
    raise ImproperlyConfigured("MAILING_RATE_PER_MINUTE and MAILING_BATCH_SIZE must be positive.")

# Comments. The rate limit counts comments per IP hash over the window; the flood guard
# allows one comment per person (email hash, else IP hash) every COMMENT_FLOOD_SECONDS.
COMMENT_RATE_LIMIT = _setting("COMMENT_RATE_LIMIT", env.int, default=10)
COMMENT_RATE_WINDOW = 3600
COMMENT_FLOOD_SECONDS = _setting("COMMENT_FLOOD_SECONDS", env.int, default=15)
COMMENTS_PER_PAGE = 10
# Who gets the digest of comments awaiting moderation, at most one every DIGEST_INTERVAL
# seconds. Empty: no digest.
DIGEST_EMAILS = [
    address.strip()
    for address in _setting("DIGEST_EMAILS", env.list, default=[])
    if address.strip()
]
for _address in DIGEST_EMAILS:
    try:
        validate_email(_address)
    except ValidationError:
        raise ImproperlyConfigured(
            f"DIGEST_EMAILS contains {_address!r}, which is not an email address."
        ) from None
DIGEST_INTERVAL = 3600

# Background tasks: the database backend, run by `manage.py db_worker`. Development runs tasks
# at once, in the request, so `make run` needs no second process (emails print to the console).
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND",
            default="django.tasks.backends.immediate.ImmediateBackend"
            if DEBUG
            else "django_tasks_db.DatabaseBackend",
        )
    }
}

# The worker beats a heartbeat every WORKER_HEARTBEAT seconds; a task whose worker has not
# beaten for WORKER_LOST_AFTER seconds runs again (worker/recovery.py). The bound must stay
# well above the heartbeat, or a slow database makes live workers look dead.
WORKER_HEARTBEAT = _setting("WORKER_HEARTBEAT", env.int, default=10)
WORKER_LOST_AFTER = _setting("WORKER_LOST_AFTER", env.int, default=60)
if not 0 < 2 * WORKER_HEARTBEAT <= WORKER_LOST_AFTER:
    raise ImproperlyConfigured("WORKER_LOST_AFTER must be at least twice WORKER_HEARTBEAT (> 0).")

# CAPTCHA on the signing and comment forms (README: "The CAPTCHA"). `altcha`: a proof of work
# the visitor's browser solves, issued and checked by this site alone; `recaptcha`: Google
# reCAPTCHA, whose script Google serves; `off`: the honeypot and rate limits only.
CAPTCHA = env.str("CAPTCHA", default="off" if DEBUG else "altcha")
if CAPTCHA not in ("altcha", "recaptcha", "off"):
    raise ImproperlyConfigured(f"CAPTCHA must be altcha, recaptcha or off, not {CAPTCHA!r}.")
# ALTCHA (altcha-django): the key that signs challenges, so only this site's are accepted.
# Its app (system checks of these settings) only when chosen; the widget's template is ours.
if CAPTCHA == "altcha":
    INSTALLED_APPS.append("altcha_django")
if DEBUG:
    ALTCHA_HMAC_SECRET = env.str("ALTCHA_HMAC_KEY", default="insecure-development-altcha-key")
else:
    ALTCHA_HMAC_SECRET = env.str("ALTCHA_HMAC_KEY", default="")
    if CAPTCHA == "altcha" and len(ALTCHA_HMAC_SECRET) < 32:
        raise ImproperlyConfigured(
            "Set ALTCHA_HMAC_KEY (32+ random characters; README says how to make it), "
            "or choose another CAPTCHA."
        )
# Tuned so a mid-range phone solves it in about a second (README: "The CAPTCHA"): PBKDF2,
# which browsers compute natively, so a script gains little over a person's phone; the server
# picks the answer's counter (deterministic mode), so the work is bounded, and signs the
# derived key, so checking a solution costs one HMAC instead of the whole derivation.
ALTCHA_CHALLENGE = {
    "algorithm": "PBKDF2/SHA-256",
    "cost": _setting("ALTCHA_COST", env.int, default=2000),
    "max_number": _setting("ALTCHA_MAX_NUMBER", env.int, default=1500),
    "expires_seconds": 600,
}
ALTCHA_CHALLENGE_HMAC_KEY_SECRET = ALTCHA_HMAC_SECRET + ":derived-key"
# Each solution is accepted once: signatures.captcha keeps the spent ones in the database,
# which every worker and server shares, instead of the package's per-process cache.
ALTCHA_REPLAY_PROTECTION = False

# reCAPTCHA (django-recaptcha).
RECAPTCHA_PUBLIC_KEY = env.str("RECAPTCHA_PUBLIC_KEY", default="")
RECAPTCHA_PRIVATE_KEY = env.str("RECAPTCHA_PRIVATE_KEY", default="")
if CAPTCHA == "recaptcha" and not (RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY):
    raise ImproperlyConfigured(
        "CAPTCHA=recaptcha needs RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY."
    )
RECAPTCHA_VERSION = env.str("RECAPTCHA_VERSION", default="v2")
if RECAPTCHA_VERSION not in ("v2", "v3"):
    raise ImproperlyConfigured("RECAPTCHA_VERSION must be v2 or v3.")
RECAPTCHA_REQUIRED_SCORE = _setting("RECAPTCHA_REQUIRED_SCORE", env.float, default=0.5)
# django-recaptcha's own check complains about its test keys; ours reports "CAPTCHA is off".
# altcha-django's warning that its own replay protection is off: signatures.captcha's is on.
SILENCED_SYSTEM_CHECKS = ["django_recaptcha.recaptcha_test_key_error", "altcha.W003"]

CACHES = {"default": _setting("CACHE_URL", env.cache_url, default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that does not answer costs a request half a second, not a hung worker: every
    # GET asks the page cache first (petition_site/page_cache.py), which then serves uncached.
    _cache_options = CACHES["default"].setdefault("OPTIONS", {})
    _cache_options.setdefault("socket_connect_timeout", 0.5)
    _cache_options.setdefault("socket_timeout", 0.5)

# Content Security Policy (Django's own): nothing inline, nothing from third parties.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
# Pages that carry the CAPTCHA also allow Google's reCAPTCHA origins, and nothing else.
_RECAPTCHA_ORIGINS = ["https://www.google.com/recaptcha/", "https://www.gstatic.com/recaptcha/"]
SECURE_CSP_WITH_CAPTCHA = {
    **SECURE_CSP,
    "script-src": [*SECURE_CSP["script-src"], *_RECAPTCHA_ORIGINS],
    "frame-src": ["https://www.google.com/recaptcha/", "https://recaptcha.google.com/recaptcha/"],
    "connect-src": [*SECURE_CSP["connect-src"], "https://www.google.com/recaptcha/"],
}
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY_DISABLED_FEATURES = [
    "accelerometer",
    "camera",
    "geolocation",
    "gyroscope",
    "microphone",
    "payment",
    "usb",
    "browsing-topics",
    "interest-cohort",
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# An organizer's login ends with the browser, and after SESSION_COOKIE_AGE seconds at most.
SESSION_COOKIE_AGE = _setting("SESSION_COOKIE_AGE", env.int, default=60 * 60 * 8)
if SESSION_COOKIE_AGE < 1:
    raise ImproperlyConfigured("SESSION_COOKIE_AGE must be a positive number of seconds.")
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
if not DEBUG:
    SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = _setting("SECURE_HSTS_SECONDS", env.int, default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = _bool("SECURE_HSTS_PRELOAD", default=True)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (see README).
if _bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "petition_site.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # The development server's request lines carry client details.
        "django.server": {"level": "WARNING"},
        # axes announces itself on every start; its lockouts are warnings and still show.
        "axes.apps": {"level": "WARNING"},
    },
}
