"""Withdrawal: the signature stops counting and its personal data is erased."""

from signatures import links, signing
from signatures.counting import public_count
from signatures.models import Signature
from tests.factories import make_signature, sign_data


def _withdraw_url(signature):
    return f"/en/signatures/withdraw/{links.WITHDRAW.token(signature.pk)}/"


def test_opening_the_link_withdraws_nothing(client, petition):
    signature = make_signature(petition, status="confirmed")

    response = client.get(_withdraw_url(signature))

    assert response.status_code == 200
    assert "Withdraw my signature" in response.content.decode()
    assert public_count(petition) == 1


def test_pressing_the_button_uncounts_and_erases(client, petition):
    signature = make_signature(
        petition, email="secret@example.org", status="confirmed", show_name=True
    )

    response = client.post(_withdraw_url(signature), follow=True)

    assert "Your signature was withdrawn" in response.content.decode()
    signature.refresh_from_db()
    assert signature.status == Signature.Status.WITHDRAWN
    assert signature.withdrawn_at is not None
    assert (signature.name, signature.email, signature.email_hash, signature.ip_hash) == (
        "",
        "",
        "",
        "",
    )
    assert signature.show_name is False
    assert public_count(petition) == 0


def test_after_withdrawing_the_person_may_sign_again(client, petition):
    signature = make_signature(petition, email="aigul@example.org", status="confirmed")
    client.post(_withdraw_url(signature))

    client.post(f"/en/petitions/{petition.slug}/sign/", sign_data(email="aigul@example.org"))

    assert Signature.objects.count() == 2
    assert Signature.objects.filter(status="pending").count() == 1


def test_withdrawing_twice_is_harmless(client, petition):
    signature = make_signature(petition)

    client.post(_withdraw_url(signature))
    response = client.post(_withdraw_url(signature))

    assert response.status_code == 302
    assert Signature.objects.get().status == Signature.Status.WITHDRAWN


def test_a_withdrawn_signature_gets_no_more_email(client, petition, run_tasks, mailoutbox):
    client.post(f"/en/petitions/{petition.slug}/sign/", sign_data())
    signing.withdraw(Signature.objects.get())

    run_tasks()

    assert mailoutbox == []
