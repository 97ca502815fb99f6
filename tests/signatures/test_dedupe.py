"""One signature per person and petition, whatever the spelling of the address."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from signatures import privacy
from signatures.models import Signature
from tests.concurrency import at_once
from tests.factories import make_petition, make_signature, sign_data


def _sign(client, petition, **data):
    return client.post(f"/en/petitions/{petition.slug}/sign/", sign_data(**data))


@pytest.mark.parametrize(
    ("first", "again"),
    [
        ("aigul@example.org", "AIGUL@Example.ORG"),
        ("aigul@example.org", "  aigul@example.org  "),
        ("aigul@example.org", "aigul+petition@example.org"),
        ("aigul.m@gmail.com", "aigulm@gmail.com"),
        ("aigul.m@gmail.com", "A.i.g.u.l.M+x@googlemail.com"),
    ],
)
def test_the_same_address_spelled_differently_never_makes_a_second_signature(
    client, petition, first, again
):
    _sign(client, petition, email=first)
    _sign(client, petition, email=again)

    assert Signature.objects.count() == 1


def test_different_people_at_one_provider_are_different(client, petition):
    _sign(client, petition, email="aigul@example.org")
    _sign(client, petition, email="aibek@example.org")

    assert Signature.objects.count() == 2


def test_the_same_person_may_sign_another_petition(client, petition, db):
    other = make_petition()

    _sign(client, petition)
    _sign(client, other)

    assert Signature.objects.count() == 2


def test_the_database_refuses_a_second_row_for_one_email_hash(petition):
    make_signature(petition, email="a@example.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        make_signature(petition, email="A@example.org")


def test_signing_again_unconfirmed_resends_the_confirmation(
    client, petition, run_tasks, mailoutbox
):
    _sign(client, petition)
    _sign(client, petition, name="Someone Else")
    run_tasks()

    assert [email.subject for email in mailoutbox] == ["Please confirm your email address"] * 2
    signature = Signature.objects.get()
    assert signature.emails_sent == 2
    assert signature.name == "Aigul Mamatova"


def test_no_signature_ever_gets_more_than_five_emails(client, petition, run_tasks, mailoutbox):
    for _ in range(8):
        _sign(client, petition)
    run_tasks()

    assert len(mailoutbox) == 5
    assert Signature.objects.get().emails_sent == 5


def test_the_database_refuses_a_sixth_email(petition):
    signature = make_signature(petition)

    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.filter(pk=signature.pk).update(emails_sent=6)


def test_signing_again_confirmed_sends_a_friendly_already_signed_email(
    client, petition, run_tasks, mailoutbox
):
    make_signature(petition, email="aigul@example.org", status="confirmed")

    _sign(client, petition)
    run_tasks()

    assert [email.subject for email in mailoutbox] == ["Your signature is already counted"]
    assert "already confirmed" in mailoutbox[0].body


def test_the_response_is_the_same_whether_or_not_the_address_signed(client, petition):
    fresh = _sign(client, petition, email="new@example.org")
    make_signature(petition, email="old@example.org", status="confirmed")
    repeated = _sign(client, petition, email="old@example.org")

    assert fresh.status_code == repeated.status_code == 302
    assert fresh["Location"] == repeated["Location"]
    assert fresh.content == repeated.content


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_address_store_exactly_one_row():
    petition = make_petition(slug="race")

    def sign(index):
        response = Client().post(
            f"/en/petitions/{petition.slug}/sign/",
            sign_data(email=f"Race.Condition+{index}@Example.org"),
            REMOTE_ADDR=f"10.1.0.{index}",
        )
        return response.status_code

    statuses = at_once(8, sign)

    assert statuses == [302] * 8
    assert Signature.objects.count() == 1
    signature = Signature.objects.get()
    assert signature.email_hash == privacy.email_hash("race.condition@example.org")
    assert signature.emails_sent == 5
