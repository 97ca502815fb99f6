"""CAPTCHA=recaptcha (Google), and CAPTCHA=off (reported); only Google's verify call is mocked.

CAPTCHA=altcha, the production default, is tests/signatures/test_altcha.py.
"""

import io
import json
from unittest import mock
from urllib.error import URLError

import pytest
from django.core import checks

from signatures.models import Comment, Signature
from tests.factories import comment_data, sign_data


@pytest.fixture
def captcha_on(settings):
    settings.CAPTCHA = "recaptcha"
    settings.RECAPTCHA_PUBLIC_KEY = "public-key"
    settings.RECAPTCHA_PRIVATE_KEY = "private-key"


def _google_says(success):
    """Patch the HTTP call to Google's siteverify endpoint; everything else runs for real."""
    body = io.BytesIO(json.dumps({"success": success, "hostname": "testserver"}).encode())
    return mock.patch("django_recaptcha.client.recaptcha_request", return_value=body)


def _sign(client, petition, **data):
    return client.post(f"/en/petitions/{petition.slug}/sign/", sign_data(**data))


def test_with_keys_the_form_shows_the_widget_and_allows_only_googles_origins(
    client, petition, captcha_on
):
    response = client.get(f"/en/petitions/{petition.slug}/")

    html = response.content.decode()
    assert 'class="g-recaptcha"' in html
    assert 'data-sitekey="public-key"' in html
    assert '<script src="https://www.google.com/recaptcha/api.js?hl=en" async defer>' in html
    policy = response["Content-Security-Policy"]
    assert "https://www.google.com/recaptcha/" in policy
    assert "frame-src https://www.google.com/recaptcha/" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize("choice", ["altcha", "off"])
def test_only_recaptcha_allows_or_loads_anything_from_google(client, petition, settings, choice):
    settings.CAPTCHA = choice
    settings.ALTCHA_HMAC_SECRET = "test-only-altcha-key-0123456789abcdefghij"

    response = client.get(f"/en/petitions/{petition.slug}/")

    assert "google" not in response["Content-Security-Policy"]
    assert "google" not in response.content.decode()


def test_a_solved_captcha_signs(client, petition, captcha_on):
    with _google_says(True) as request:
        response = _sign(client, petition, **{"g-recaptcha-response": "token"})

    assert response.status_code == 302
    assert Signature.objects.count() == 1
    sent = request.call_args.args[0].decode()
    assert "response=token" in sent
    assert "127.0.0.1" not in sent


def test_a_failed_captcha_is_a_400_with_a_translated_error(client, petition, captcha_on):
    with _google_says(False):
        response = client.post(
            f"/ru/petitions/{petition.slug}/sign/",
            sign_data(**{"g-recaptcha-response": "token"}),
        )

    assert response.status_code == 400
    assert "Проверка CAPTCHA не пройдена" in response.content.decode()
    assert Signature.objects.count() == 0


def test_a_missing_captcha_is_a_400(client, petition, captcha_on):
    response = _sign(client, petition)

    assert response.status_code == 400
    assert "Please confirm that you are not a robot." in response.content.decode()


def test_google_unreachable_is_a_400_asking_to_retry_not_a_500(client, petition, captcha_on):
    with mock.patch(
        "django_recaptcha.client.recaptcha_request", side_effect=URLError("unreachable")
    ):
        response = _sign(client, petition, **{"g-recaptcha-response": "token"})

    assert response.status_code == 400
    assert "We could not check the CAPTCHA just now." in response.content.decode()
    assert Signature.objects.count() == 0


def test_a_system_check_says_when_the_captcha_is_off(settings):
    settings.CAPTCHA = "off"

    messages = checks.run_checks(tags=[checks.Tags.security])

    assert any(message.id == "signatures.W001" for message in messages)


def test_no_warning_when_the_captcha_is_on(captcha_on):
    messages = checks.run_checks(tags=[checks.Tags.security])

    assert not any(message.id == "signatures.W001" for message in messages)


def test_the_captcha_guards_comments_as_it_guards_signatures(client, petition, captcha_on):
    page = client.get(f"/en/petitions/{petition.slug}/")
    html = page.content.decode()
    # Two forms with the CAPTCHA, one copy of Google's script.
    assert html.count('class="g-recaptcha"') == 2
    assert html.count("https://www.google.com/recaptcha/api.js") == 1
    assert "https://www.google.com/recaptcha/" in page["Content-Security-Policy"]

    with _google_says(False):
        refused = client.post(
            f"/en/petitions/{petition.slug}/comment/",
            comment_data(**{"g-recaptcha-response": "token"}),
        )
    assert refused.status_code == 400
    assert "The CAPTCHA check failed." in refused.content.decode()
    assert "https://www.google.com/recaptcha/" in refused["Content-Security-Policy"]
    assert Comment.objects.count() == 0

    with _google_says(True):
        client.post(
            f"/en/petitions/{petition.slug}/comment/",
            comment_data(**{"g-recaptcha-response": "token"}),
        )
    assert Comment.objects.count() == 1
