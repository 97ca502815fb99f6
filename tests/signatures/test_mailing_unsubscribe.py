"""One click unsubscribes from every mailing, at once and for good (RFC 8058)."""

import re

import pytest

from signatures import links, mailings
from signatures.models import Signature, Unsubscribe
from tests.factories import make_mailing, make_petition, make_recipient, sign_data


@pytest.fixture(autouse=True)
def _no_pause(settings):
    settings.MAILING_RATE_PER_MINUTE = 10**9


def _url(signature, language="en"):
    return f"/{language}/updates/unsubscribe/{links.UNSUBSCRIBE.token(signature.pk)}/"


def test_the_one_click_post_unsubscribes_without_cookie_or_csrf_token(petition):
    from django.test import Client

    signer = make_recipient(petition, "aigul@example.org")
    other = make_recipient(make_petition(), "AIGUL@example.org")
    mail_provider = Client(enforce_csrf_checks=True)

    response = mail_provider.post(
        _url(signer), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert Unsubscribe.objects.filter(email_hash=signer.email_hash).exists()
    for signature in (signer, other):
        signature.refresh_from_db()
        assert signature.wants_updates is False
        assert signature.status == Signature.Status.CONFIRMED


def test_the_link_in_the_email_shows_a_button_and_only_the_button_unsubscribes(
    client, petition, run_tasks, mailoutbox
):
    make_recipient(petition, "aigul@example.org", language="ru")
    mailings.start(make_mailing(petition))
    run_tasks()
    url = re.search(
        r"https://petition.test(/ru/updates/unsubscribe/\S+/)$", mailoutbox[0].body, re.M
    )

    page = client.get(url.group(1))
    assert "Отказаться от новостей" in page.content.decode()
    assert not Unsubscribe.objects.exists()
    done = client.post(url.group(1))

    assert "Вы отказались от новостей" in done.content.decode()
    assert Unsubscribe.objects.count() == 1
    # Opened again, or in English: it says it is done, it does not ask again.
    for again in (url.group(1), url.group(1).replace("/ru/", "/en/", 1)):
        page = client.get(again).content.decode()
        assert "Вы отказались от новостей" in page or "You are unsubscribed" in page
        assert 'type="submit"' not in page


def test_the_next_mailing_skips_who_unsubscribed(client, petition, run_tasks, mailoutbox):
    signer = make_recipient(petition, "aigul@example.org")
    make_recipient(petition, "other@example.org")
    client.post(_url(signer))

    mailings.start(make_mailing(petition))
    run_tasks()

    assert [email.to for email in mailoutbox] == [["other@example.org"]]


def test_signing_another_petition_keeps_the_unsubscribe(client, petition, run_tasks, mailoutbox):
    client.post(_url(make_recipient(petition, "aigul@example.org")))
    other = make_petition(slug="another")

    client.post(
        f"/en/petitions/{other.slug}/sign/",
        sign_data(email="Aigul@example.org", wants_updates="on"),
    )

    assert Signature.objects.get(petition=other).wants_updates is False


def test_a_broken_or_expired_link_is_a_clear_400_and_changes_nothing(client, petition, settings):
    signer = make_recipient(petition, "aigul@example.org")

    broken = client.post("/en/updates/unsubscribe/nonsense/")
    settings.UNSUBSCRIBE_LINK_DAYS = -1
    expired = client.post(_url(signer))

    assert broken.status_code == expired.status_code == 400
    assert "Use the link in the most recent update by email" in expired.content.decode()
    assert not Unsubscribe.objects.exists()


def test_a_withdrawn_signature_unsubscribes_nothing_and_says_done(client, petition):
    signer = make_recipient(petition, "aigul@example.org")
    Signature.objects.filter(pk=signer.pk).erase_personal_data(status="withdrawn")

    response = client.post(_url(signer))

    assert response.status_code == 200
    assert not Unsubscribe.objects.exists()


def test_it_takes_effect_even_in_the_batch_being_sent(petition, run_tasks, mailoutbox, monkeypatch):
    leaving = make_recipient(petition, "leaving@example.org")
    withdrawing = make_recipient(petition, "withdrawing@example.org")
    make_recipient(petition, "staying@example.org")
    chosen = mailings._next_batch

    def chosen_then_they_leave(mailing):
        batch = chosen(mailing)
        mailings.unsubscribe(leaving)
        Signature.objects.filter(pk=withdrawing.pk).erase_personal_data(status="withdrawn")
        return batch

    monkeypatch.setattr(mailings, "_next_batch", chosen_then_they_leave)
    mailings.start(make_mailing(petition))
    run_tasks()

    assert [email.to for email in mailoutbox] == [["staying@example.org"]]
