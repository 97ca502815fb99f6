"""Confirmation: a GET shows a button (mail scanners open links), only a POST confirms."""

import re

import pytest
from django.core import signing as django_signing

from signatures import links, signing
from signatures.counting import public_count
from signatures.models import Signature
from tests.factories import make_signature, sign_data


def _confirm_url(signature, language="en"):
    return f"/{language}/signatures/confirm/{links.CONFIRM.token(signature.pk)}/"


def test_opening_the_link_shows_a_button_and_confirms_nothing(client, petition):
    signature = make_signature(petition)

    response = client.get(_confirm_url(signature))

    assert response.status_code == 200
    assert "Confirm my signature" in response.content.decode()
    assert '<form method="post">' in response.content.decode()
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING


def test_pressing_the_button_confirms_and_shows_the_new_count(client, petition):
    signature = make_signature(petition)
    assert public_count(petition) == 0

    response = client.post(_confirm_url(signature))

    # No redirect: another gunicorn worker's cache could still hold the count without them.
    assert response.status_code == 200
    signature.refresh_from_db()
    assert signature.status == Signature.Status.CONFIRMED
    assert signature.confirmed_at is not None
    html = response.content.decode()
    assert "Thank you for signing" in html
    assert "<strong>1</strong> signature" in html
    assert "https://t.me/share/url?url=http%3A//testserver/en/petitions/clean-air/" in html


def test_confirming_twice_is_harmless(client, petition):
    signature = make_signature(petition)

    client.post(_confirm_url(signature))
    response = client.post(_confirm_url(signature))
    opened_again = client.get(_confirm_url(signature))

    assert response.status_code == 200
    assert "<strong>1</strong> signature" in response.content.decode()
    assert opened_again.status_code == 302
    assert opened_again.url == f"/en/petitions/{petition.slug}/thanks/"
    assert Signature.objects.counted().count() == 1


def test_a_new_visitor_signs_gets_the_email_confirms_and_sees_the_count_rise(
    client, petition, run_tasks, mailoutbox
):
    client.post(f"/ru/petitions/{petition.slug}/sign/", sign_data())
    run_tasks()
    link = re.search(r"https://petition.test(/ru/signatures/confirm/\S+/)", mailoutbox[0].body)

    page = client.get(link.group(1))
    assert "Подтвердить подпись" in page.content.decode()
    thanks = client.post(link.group(1))

    assert "Спасибо за подпись" in thanks.content.decode()
    assert "<strong>1</strong> подпись" in thanks.content.decode()
    assert client.get(f"/petitions/{petition.slug}/count.json").json()["count"] == 1


@pytest.mark.parametrize(
    "token",
    ["nonsense", "eyJhIjoxfQ:1v2x3y:abcdefghijklmnopqrstuvwxyz0", "a" * 500],
)
def test_a_broken_link_is_a_clear_400(client, petition, token):
    response = client.get(f"/en/signatures/confirm/{token}/")

    assert response.status_code == 400
    assert "The link is incomplete or was changed." in response.content.decode()


def test_a_withdraw_token_cannot_confirm(client, petition):
    signature = make_signature(petition)

    response = client.post(f"/en/signatures/confirm/{links.WITHDRAW.token(signature.pk)}/")

    assert response.status_code == 400
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING


def test_an_expired_link_says_how_to_get_a_new_one(client, petition, settings):
    signature = make_signature(petition)
    url = _confirm_url(signature, language="ru")
    settings.CONFIRM_LINK_DAYS = -1

    response = client.post(url)

    assert response.status_code == 400
    assert "Срок действия ссылки истёк" in response.content.decode()
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING


def test_a_withdrawn_signature_cannot_be_confirmed(client, petition):
    signature = make_signature(petition)
    signing.withdraw(signature)

    response = client.post(_confirm_url(signature))

    assert response.status_code == 400
    assert public_count(petition) == 0


def test_confirmation_pages_are_never_cached_or_indexed(client, petition):
    signature = make_signature(petition)

    response = client.get(_confirm_url(signature))

    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_tokens_are_signed_with_the_secret_key(petition):
    signature = make_signature(petition)
    token = links.CONFIRM.token(signature.pk)

    assert links.CONFIRM.read(token) == signature.pk
    with pytest.raises(django_signing.BadSignature):
        links.CONFIRM.read(token[:-2] + "xx")
