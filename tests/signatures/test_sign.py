"""Signing: a valid form stores one pending signature and queues its confirmation email."""

import re

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from signatures.models import Signature
from tests.factories import make_petition, sign_data


def _sign(client, petition, language="en", **data):
    return client.post(f"/{language}/petitions/{petition.slug}/sign/", sign_data(**data))


def test_it_stores_a_pending_signature_and_redirects_to_check_your_email(client, petition):
    response = _sign(client, petition)

    assert response.status_code == 302
    assert response["Location"] == f"/en/petitions/{petition.slug}/check-your-email/"
    signature = Signature.objects.get()
    assert signature.status == Signature.Status.PENDING
    assert signature.name == "Aigul Mamatova"
    assert signature.email == "aigul@example.org"
    assert signature.region == "bishkek"
    assert signature.language == "en"
    assert signature.show_name is False
    assert signature.wants_updates is False
    assert signature.emails_sent == 1


def test_the_email_task_is_queued_in_the_same_transaction(client, petition):
    _sign(client, petition)

    task = DBTaskResult.objects.get()
    assert task.task_path == "signatures.tasks.send_signature_email"
    assert task.args_kwargs["args"] == [Signature.objects.get().pk]


def test_the_worker_sends_the_confirmation_email_with_both_links(
    client, petition, run_tasks, mailoutbox
):
    _sign(client, petition)

    run_tasks()

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["aigul@example.org"]
    assert email.subject == "Please confirm your email address"
    assert re.search(r"https://petition.test/en/signatures/confirm/[^/\s]+/", email.body)
    assert re.search(r"https://petition.test/en/signatures/withdraw/[^/\s]+/", email.body)
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert "/en/signatures/confirm/" in html


def test_a_russian_signer_gets_a_russian_email(client, petition, run_tasks, mailoutbox):
    _sign(client, petition, language="ru")

    run_tasks()

    email = mailoutbox[0]
    assert email.subject == "Пожалуйста, подтвердите адрес электронной почты"
    assert "Здравствуйте, Aigul" in email.body
    assert "https://petition.test/ru/signatures/confirm/" in email.body


def test_discreet_emails_do_not_name_the_petition(client, petition, run_tasks, mailoutbox):
    _sign(client, petition)
    run_tasks()

    assert petition.title_en not in mailoutbox[0].body
    assert petition.title_en not in mailoutbox[0].alternatives[0][0]


def test_organizers_set_a_neutral_sender_and_subject(client, db, run_tasks, mailoutbox):
    petition = make_petition(
        email_sender_name="Notifications",
        email_subject_en="Your request",
        discreet_emails=False,
        title_en="A named petition",
    )

    _sign(client, petition)
    run_tasks()

    email = mailoutbox[0]
    assert email.from_email == "Notifications <petition@localhost>"
    assert email.subject == "Your request"
    assert "A named petition" in email.body


def test_the_email_is_stored_encrypted_and_the_ip_only_as_a_keyed_hash(client, petition):
    _sign(client, petition, email="Secret.Person@example.org")

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM signatures_signature")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert "secret.person" not in row.lower()
    assert "127.0.0.1" not in row
    signature = Signature.objects.get()
    assert len(signature.ip_hash) == 64
    assert signature.email == "Secret.Person@example.org"


def test_the_form_is_on_the_petition_page_and_on_its_own_url(client, petition):
    for url in (f"/en/petitions/{petition.slug}/", f"/en/petitions/{petition.slug}/sign/"):
        html = client.get(url).content.decode()
        assert f'action="/en/petitions/{petition.slug}/sign/"' in html
        for field in ("name", "email", "region", "show_name", "privacy", "wants_updates"):
            assert f'name="{field}"' in html


def test_optional_choices_are_off_by_default_and_stored_when_chosen(client, petition):
    html = client.get(f"/en/petitions/{petition.slug}/sign/").content.decode()
    for field in ("show_name", "wants_updates", "privacy"):
        checkbox = re.search(rf'<input[^>]*name="{field}"[^>]*>', html).group(0)
        assert "checked" not in checkbox

    _sign(client, petition, show_name="on", wants_updates="on")

    signature = Signature.objects.get()
    assert signature.show_name is True
    assert signature.wants_updates is True


@pytest.mark.parametrize("status", ["closed", "draft"])
def test_closed_and_draft_petitions_refuse_signatures(client, db, status):
    petition = make_petition(status=status)

    response = _sign(client, petition)

    assert response.status_code == (403 if status == "closed" else 404)
    assert Signature.objects.count() == 0
    if status == "closed":
        assert "no longer accepts signatures" in response.content.decode()


def test_a_petition_past_its_closing_date_refuses_signatures(client, db):
    from django.utils import timezone

    petition = make_petition(closes_at=timezone.now() - timezone.timedelta(minutes=1))

    response = _sign(client, petition)

    assert response.status_code == 403
    assert Signature.objects.count() == 0


def test_a_get_never_signs(client, petition):
    client.get(f"/en/petitions/{petition.slug}/sign/", sign_data())

    assert Signature.objects.count() == 0


def test_other_methods_are_refused(client, petition):
    response = client.put(f"/en/petitions/{petition.slug}/sign/")

    assert response.status_code == 405
