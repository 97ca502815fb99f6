"""Every security header, asserted on real responses with production settings."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_signature


@pytest.fixture
def page(client, seeded_petition):
    return client.get("/ru/", secure=True)


def test_strict_transport_security_for_a_year_with_subdomains(page):
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_no_sniffing_no_framing_and_same_origin_referrers(page):
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["X-Frame-Options"] == "DENY"
    assert page["Referrer-Policy"] == "same-origin"
    assert page["Cross-Origin-Opener-Policy"] == "same-origin"


def test_powerful_features_are_switched_off(page):
    policy = page["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "browsing-topics"):
        assert f"{feature}=()" in policy


def test_the_content_security_policy_is_strict(page):
    policy = dict(
        directive.strip().split(" ", 1) for directive in page["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    assert "unsafe-eval" not in page["Content-Security-Policy"]


def test_plain_http_is_redirected_to_https(client, seeded_petition, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/ru/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/ru/"


def test_cookies_are_secure_http_only_and_same_site(client, petition):
    from signatures import links

    # The public pages set none; an emailed link's page sets the CSRF cookie for its button.
    token = links.CONFIRM.token(make_signature(petition).pk)
    response = client.get(f"/en/signatures/confirm/{token}/", secure=True)

    cookie = response.cookies["csrftoken"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_pages_with_personal_data_are_never_stored_by_caches(client, petition, organizer_client):
    from signatures import links

    signature = make_signature(petition)
    for response in (
        client.get(f"/en/signatures/confirm/{links.CONFIRM.token(signature.pk)}/", secure=True),
        client.get(f"/en/signatures/withdraw/{links.WITHDRAW.token(signature.pk)}/", secure=True),
        organizer_client.get(reverse("admin:index"), secure=True),
    ):
        assert "no-store" in response["Cache-Control"], response.request["PATH_INFO"]


def test_the_production_settings_pass_check_deploy_with_no_warning():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env={
            "PATH": os.environ["PATH"],
            "DEBUG": "false",
            "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
            "PRIVACY_HASH_KEY": "a-long-random-production-hash-key-0123456789",
            "EMAIL_ENCRYPTION_KEYS": "dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTEyMzQ1Njc=",
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "ALLOWED_HOSTS": "petition.example.org",
            "SITE_URL": "https://petition.example.org",
            "ALTCHA_HMAC_KEY": "a-long-random-production-altcha-key-0123456789",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_no_template_carries_inline_style_or_script_the_policy_would_block():
    # The content security policy allows no inline style or script: a template that used
    # one would render broken (as the mailing preview once did), with no error on the page.
    templates = Path(settings.BASE_DIR, "templates")
    inline = re.compile(r"""<[a-z][^>]*\s(style|on[a-z]+)=|<script(?![^>]*\ssrc=)[^>]*>""")

    offenders = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if inline.search(path.read_text(encoding="utf-8"))
    ]

    assert offenders == []
