"""Settings come from the environment and fail loudly at start-up when they are wrong."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

BASE = {
    "PATH": os.environ["PATH"],
    "DJANGO_SETTINGS_MODULE": "petition_site.settings",
    "SECRET_KEY": "x" * 40,
    "PRIVACY_HASH_KEY": "h" * 40,
    "ALTCHA_HMAC_KEY": "a" * 40,
    "EMAIL_ENCRYPTION_KEYS": "dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTEyMzQ1Njc=",
    "SITE_URL": "https://petition.test",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/petition_site",
}


def _start(code="import django; django.setup()", **overrides):
    environment = {**BASE, **overrides}
    environment = {key: value for key, value in environment.items() if value is not None}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _print(code, **overrides):
    """What `code` prints under these settings."""
    result = _start(code, **overrides)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_settings_start():
    assert _start().returncode == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "Set SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "Set SECRET_KEY"),
        ({"DATABASE_URL": None}, "Set DATABASE_URL"),
        ({"DEBUG": "perhaps"}, "DEBUG is invalid"),
        ({"CONN_MAX_AGE": "forever"}, "CONN_MAX_AGE is invalid"),
        ({"LANGUAGES": "ru,xx"}, "LANGUAGES contains 'xx'"),
        ({"PRIVACY_HASH_KEY": None}, "Set PRIVACY_HASH_KEY"),
        ({"EMAIL_ENCRYPTION_KEYS": None}, "EMAIL_ENCRYPTION_KEYS"),
        ({"SITE_URL": None}, "Set SITE_URL"),
        ({"RECAPTCHA_VERSION": "v9"}, "RECAPTCHA_VERSION must be v2 or v3"),
        ({"ALTCHA_HMAC_KEY": None}, "Set ALTCHA_HMAC_KEY"),
        ({"ALTCHA_HMAC_KEY": "short"}, "Set ALTCHA_HMAC_KEY"),
        ({"CAPTCHA": "hcaptcha"}, "CAPTCHA must be altcha, recaptcha or off"),
        ({"CAPTCHA": "recaptcha"}, "CAPTCHA=recaptcha needs RECAPTCHA_PUBLIC_KEY"),
        ({"ADMIN_URL": "/admin/"}, "ADMIN_URL must be a path"),
        ({"ADMIN_URL": "admin"}, "ADMIN_URL must be a path"),
        ({"ADMIN_URL": ""}, "ADMIN_URL must be a path"),
        ({"ADMIN_REQUIRE_OTP": "maybe"}, "ADMIN_REQUIRE_OTP is invalid"),
        ({"AXES_FAILURE_LIMIT": "0"}, "AXES_FAILURE_LIMIT and AXES_COOLOFF_MINUTES must be"),
        ({"AXES_COOLOFF_MINUTES": "an hour"}, "AXES_COOLOFF_MINUTES is invalid"),
        ({"SESSION_COOKIE_AGE": "0"}, "SESSION_COOKIE_AGE must be a positive"),
        ({"SESSION_COOKIE_AGE": "8h"}, "SESSION_COOKIE_AGE is invalid"),
        ({"DIGEST_EMAILS": "team@example.org,nobody"}, "DIGEST_EMAILS contains 'nobody'"),
        ({"COMMENT_RATE_LIMIT": "many"}, "COMMENT_RATE_LIMIT is invalid"),
    ],
)
def test_a_bad_or_missing_value_stops_start_up_with_a_clear_message(overrides, message):
    result = _start(**overrides)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_development_needs_no_configuration_at_all():
    result = _start(
        DEBUG="true",
        SECRET_KEY=None,
        DATABASE_URL=None,
        PRIVACY_HASH_KEY=None,
        EMAIL_ENCRYPTION_KEYS=None,
        SITE_URL=None,
    )

    assert result.returncode == 0, result.stderr


def test_production_uses_altcha_and_needs_its_key_only_then():
    assert _print("from django.conf import settings; print(settings.CAPTCHA)") == "altcha"
    for choice in ("off", "recaptcha"):
        keys = {"RECAPTCHA_PUBLIC_KEY": "site", "RECAPTCHA_PRIVATE_KEY": "secret"}
        assert _start(CAPTCHA=choice, ALTCHA_HMAC_KEY=None, **keys).returncode == 0


def test_development_has_no_captcha_unless_asked_for():
    code = "from django.conf import settings; print(settings.CAPTCHA)"
    development = {"DEBUG": "true", "SECRET_KEY": None, "DATABASE_URL": None}
    assert _print(code, **development) == "off"
    assert _print(code, **development, CAPTCHA="altcha", ALTCHA_HMAC_KEY=None) == "altcha"


def test_debug_is_off_unless_asked_for():
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE is True


def _setting_with(name, **environment):
    """The value of setting `name` in a process started with these extra variables."""
    result = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print(settings.{name})"],
        cwd=settings.BASE_DIR,
        env={**BASE, **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return eval(result.stdout)  # noqa: S307 - our own settings' repr


def test_email_url_becomes_a_django_mailer():
    mailer = _setting_with("MAILERS", EMAIL_URL="smtp+tls://mailer:secret@mail.example.org:587")[
        "default"
    ]
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"] == {
        "host": "mail.example.org",
        "port": 587,
        "username": "mailer",
        "password": "secret",
        "use_tls": True,
        "timeout": 20,
    }


def test_development_prints_emails_readably_and_production_as_django_does():
    development = {"DEBUG": "true", "SECRET_KEY": None, "DATABASE_URL": None}
    readable = _print(
        "from django.conf import settings; print(settings.MAILERS['default']['BACKEND'])",
        **development,
    )
    production = _setting_with("MAILERS", EMAIL_URL="consolemail://")["default"]["BACKEND"]

    assert readable == "petition_site.mail.ReadableConsoleBackend"
    assert production == "django.core.mail.backends.console.EmailBackend"


def test_database_connections_are_reused_and_health_checked():
    database = settings.DATABASES["default"]

    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True


def test_organizers_access_settings_default_to_the_safe_side():
    assert settings.ADMIN_URL == "admin/"
    assert settings.ADMIN_REQUIRE_OTP is True
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 60 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_development_logs_in_without_a_one_time_password_unless_asked_to():
    development = {"DEBUG": "true", "SECRET_KEY": None, "DATABASE_URL": None}
    show = "from django.conf import settings; print(settings.ADMIN_REQUIRE_OTP)"

    assert _print(show, **development) == "False"
    assert _print(show, **development, ADMIN_REQUIRE_OTP="true") == "True"
    assert _print(show) == "True"


@pytest.mark.parametrize(
    ("variable", "value", "setting", "expected"),
    [
        ("ADMIN_URL", "organizers-7f3a/", "ADMIN_URL", "organizers-7f3a/"),
        ("AXES_FAILURE_LIMIT", "3", "AXES_FAILURE_LIMIT", "3"),
        ("AXES_COOLOFF_MINUTES", "15", "AXES_COOLOFF_TIME", "0:15:00"),
        ("SESSION_COOKIE_AGE", "3600", "SESSION_COOKIE_AGE", "3600"),
    ],
)
def test_organizers_access_reads_the_environment(variable, value, setting, expected):
    show = f"from django.conf import settings; print(settings.{setting})"

    assert _print(show, **{variable: value}) == expected


def test_digest_emails_are_a_comma_separated_list():
    assert _setting_with(
        "DIGEST_EMAILS", DIGEST_EMAILS="team@example.org, moderator@example.org"
    ) == ["team@example.org", "moderator@example.org"]
