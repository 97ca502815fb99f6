"""Settings for the petition site, read from the environment (and an optional `.env`).

Every variable is documented in README.md. The rules: production needs no file edits, only
environment variables; a missing or malformed value stops the process at start-up with a
message that names the variable, instead of surfacing later as a 500.
"""

from pathlib import Path

import environ
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "petitions",
    "signatures",
]

MIDDLEWARE = [
    "petition_site.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email (Django 6.1 mailers). EMAIL_URL takes the django-environ forms: smtp://, smtp+tls://,
# smtp+ssl://, consolemail://, filemail://, memorymail://, dummymail://.
_EMAIL_OPTIONS = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
    "EMAIL_TIMEOUT": "timeout",
}
_email = _setting(
    "EMAIL_URL", env.email_url, default="consolemail://" if DEBUG else "smtp://localhost:25"
)
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {
            option: _email[key]
            for key, option in _EMAIL_OPTIONS.items()
            if _email.get(key) not in (None, "") and "smtp" in _email["EMAIL_BACKEND"]
        },
    }
}
if "smtp" in _email["EMAIL_BACKEND"]:
    MAILERS["default"]["OPTIONS"].setdefault("timeout", 20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="petition@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

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
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
if not DEBUG:
    SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = _setting("SECURE_HSTS_SECONDS", env.int, default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = _bool("SECURE_HSTS_PRELOAD", default=False)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (see README).
if _bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request lines carry paths with tokens and client details; keep them out of the logs.
        "django.server": {"level": "WARNING"},
    },
}
