"""A mailing reaches the confirmed signers who asked for updates, each in their language."""

from contextlib import contextmanager
from email import message_from_bytes, policy

import pytest
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext

from signatures import links, mailings
from signatures.models import Mailing, MailingDelivery, Signature, Unsubscribe
from signatures.privacy import email_hash
from tests.factories import make_mailing, make_petition, make_recipient


@pytest.fixture(autouse=True)
def _no_pause(settings):
    # Batches of two, with no pause worth waiting for: several batches run in one test.
    settings.MAILING_BATCH_SIZE = 2
    settings.MAILING_RATE_PER_MINUTE = 10**9


def _send(mailing, run_tasks):
    mailings.start(mailing)
    run_tasks()
    mailing.refresh_from_db()


def test_each_confirmed_signer_who_asked_gets_it_once_in_their_language(
    petition, run_tasks, mailoutbox
):
    make_recipient(petition, "ru1@example.org", language="ru")
    make_recipient(petition, "ru2@example.org", language="ru")
    make_recipient(petition, "en1@example.org", language="en")
    make_recipient(petition, "en2@example.org", language="en")
    make_recipient(petition, "en3@example.org", language="en")
    mailing = make_mailing(petition)

    _send(mailing, run_tasks)

    received = {email.to[0]: (email.subject, email.body.split("\n")[0]) for email in mailoutbox}
    assert len(mailoutbox) == 5
    assert received["ru1@example.org"] == ("Новости кампании", "Мы передали подписи.")
    assert received["en3@example.org"] == ("News from the campaign", "We delivered the signatures.")
    assert mailing.status == Mailing.Status.SENT
    assert mailings.progress(mailing) == {"sent": 5, "failed": 0, "remaining": 0}


def test_nobody_else_gets_it(petition, run_tasks, mailoutbox):
    make_recipient(petition, "yes@example.org")
    make_recipient(petition, "quiet@example.org", wants_updates=False)
    make_recipient(petition, "pending@example.org", status=Signature.Status.PENDING)
    make_recipient(petition, "flagged@example.org", status=Signature.Status.FLAGGED)
    make_recipient(petition, "invalid@example.org", status=Signature.Status.INVALIDATED)
    withdrawn = make_recipient(petition, "withdrawn@example.org")
    Signature.objects.filter(pk=withdrawn.pk).erase_personal_data(status="withdrawn")
    make_recipient(petition, "gone@example.org")
    Unsubscribe.objects.create(email_hash=email_hash("Gone@Example.org"))
    make_recipient(make_petition(), "other-petition@example.org")

    _send(make_mailing(petition), run_tasks)

    assert [email.to for email in mailoutbox] == [["yes@example.org"]]


def test_a_missing_language_falls_back_to_the_first(petition, run_tasks, mailoutbox):
    make_recipient(petition, "en@example.org", language="en")
    mailing = make_mailing(petition, subject_en="", body_en="")

    _send(mailing, run_tasks)

    [email] = mailoutbox
    assert (email.subject, email.body.split("\n")[0]) == (
        "Новости кампании",
        "Мы передали подписи.",
    )
    assert "You get this email because you asked for updates" in email.body


def test_every_copy_carries_a_one_click_unsubscribe(petition, run_tasks, mailoutbox):
    signer = make_recipient(petition, "aigul@example.org", language="ru")

    _send(make_mailing(petition), run_tasks)

    [email] = mailoutbox
    url = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith("https://petition.test/ru/updates/unsubscribe/")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in email.body
    message = email.message()
    assert message["List-Unsubscribe"] == f"<{url}>"
    assert links.UNSUBSCRIBE.read(url.rstrip("/").rsplit("/", 1)[1]) == signer.pk


def test_the_unsubscribe_header_leaves_as_a_plain_url_on_one_line(petition, run_tasks, mailoutbox):
    # Folded into RFC 2047 encoded-words, as the email package does with any header over 78
    # characters, mail providers ignore it and show no unsubscribe button.
    make_recipient(petition, "aigul@example.org", language="ru")
    _send(make_mailing(petition), run_tasks)

    [email] = mailoutbox
    header = email.extra_headers["List-Unsubscribe"]
    sent = email.message(policy=policy.SMTP).as_bytes()

    assert len(header) > 78
    assert f"\r\nList-Unsubscribe: {header}\r\n".encode() in sent
    assert message_from_bytes(sent, policy=policy.default)["List-Unsubscribe"] == header


def test_discreet_emails_name_neither_the_petition_nor_its_subject(petition, run_tasks, mailoutbox):
    make_recipient(petition, "aigul@example.org")

    _send(make_mailing(petition, subject_en="", subject_ru=""), run_tasks)

    [email] = mailoutbox
    assert email.subject == "News"
    assert email.from_email == "petition@localhost"
    assert petition.title_en not in email.body


def test_without_discretion_the_footer_names_the_petition(db, run_tasks, mailoutbox):
    petition = make_petition(
        title_en="Clean air", discreet_emails=False, email_sender_name="Campaign"
    )
    make_recipient(petition, "aigul@example.org")

    _send(make_mailing(petition), run_tasks)

    [email] = mailoutbox
    assert email.from_email == "Campaign <petition@localhost>"
    assert "when you signed “Clean air”" in email.body


def test_a_refused_address_is_recorded_as_failed_and_the_rest_go_on(
    petition, run_tasks, mailoutbox, monkeypatch
):
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    make_recipient(petition, "a@example.org")
    refused = make_recipient(petition, "refused@example.org")
    make_recipient(petition, "c@example.org")
    send_messages = EmailBackend.send_messages

    def refuse_one(self, messages):
        if messages[0].to == ["refused@example.org"]:
            raise smtplib.SMTPRecipientsRefused({"refused@example.org": (550, b"No such user")})
        return send_messages(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_one)
    mailing = make_mailing(petition)

    _send(mailing, run_tasks)

    assert sorted(email.to[0] for email in mailoutbox) == ["a@example.org", "c@example.org"]
    failed = MailingDelivery.objects.get(status="failed")
    assert (failed.signature_id, failed.error) == (refused.pk, "SMTPRecipientsRefused")
    assert mailings.progress(mailing) == {"sent": 2, "failed": 1, "remaining": 0}


def test_a_mail_server_that_is_down_stops_the_batch_and_it_comes_back(
    petition, run_tasks, mailoutbox, mail_server_down
):
    from django_tasks_db.models import DBTaskResult

    make_recipient(petition, "a@example.org")
    mailing = make_mailing(petition)

    _send(mailing, run_tasks)

    assert mailing.status == Mailing.Status.SENDING
    assert MailingDelivery.objects.count() == 0
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    mail_server_down()
    DBTaskResult.objects.update(run_after=mailing.started_at)
    run_tasks()
    assert [email.to for email in mailoutbox] == [["a@example.org"]]


def test_a_signer_who_joins_while_it_is_sent_gets_it_too(petition, run_tasks, mailoutbox):
    late = make_recipient(petition, "late@example.org", status=Signature.Status.PENDING)
    make_recipient(petition, "b@example.org")
    make_recipient(petition, "c@example.org")
    mailing = make_mailing(petition)
    mailings.start(mailing)
    mailings.send_batch(mailing.pk)
    Signature.objects.filter(pk=late.pk).update(status="confirmed", confirmed_at=late.created_at)

    run_tasks()

    assert sorted(email.to[0] for email in mailoutbox) == [
        "b@example.org",
        "c@example.org",
        "late@example.org",
    ]


def test_a_mailing_starts_once(petition, run_tasks, mailoutbox):
    make_recipient(petition, "a@example.org")
    mailing = make_mailing(petition)

    assert mailings.start(mailing) is True
    assert mailings.start(mailing) is False
    run_tasks()

    assert len(mailoutbox) == 1


def test_addresses_never_reach_the_log(petition, run_tasks, caplog):
    make_recipient(petition, "secret-address@example.org")
    caplog.set_level("DEBUG")

    _send(make_mailing(petition), run_tasks)

    assert "mailing_finished" in caplog.text
    assert "secret-address" not in caplog.text


def test_the_batches_keep_to_the_rate(petition, settings):
    for number in range(3):
        make_recipient(petition, f"s{number}@example.org")
    settings.MAILING_RATE_PER_MINUTE = 60
    mailing = make_mailing(petition)
    mailings.start(mailing)

    first = mailings.send_batch(mailing.pk)
    too_soon = mailings.send_batch(mailing.pk)

    mailing.refresh_from_db()
    # Two emails at 60 a minute: the next batch two seconds after this one began.
    assert (first - mailing.batch_started_at).total_seconds() == 2
    assert too_soon == first
    assert mailings.progress(mailing)["sent"] == 2


def _one_batch(settings, signers, capture):
    """Send a new mailing's first batch to `signers` new recipients, half in each language,
    under `capture`; returns what it captured."""
    petition = make_petition()
    for number in range(signers):
        language = "ru" if number % 2 else "en"
        make_recipient(petition, f"s{signers}-{number}@example.org", language=language)
    mailing = make_mailing(petition)
    mailings.start(mailing)
    settings.MAILING_BATCH_SIZE = signers
    with capture() as captured:
        mailings.send_batch(mailing.pk)
    assert mailings.progress(mailing)["sent"] == signers
    return captured


def test_each_copy_costs_one_statement_and_the_batch_a_few_more(db, settings, mailoutbox):
    def statements(signers):
        captured = _one_batch(settings, signers, lambda: CaptureQueriesContext(connection))
        # The savepoints are the test's: in production each copy is its own transaction.
        return [query for query in captured if "SAVEPOINT" not in query["sql"]]

    small, large = statements(3), statements(9)

    # The signer's check and the record of their copy are one INSERT; nothing else is per
    # signer, and what each batch does besides does not depend on its size.
    assert len(large) - len(small) == 6
    assert sum(query["sql"].startswith("INSERT") for query in large) == 9
    assert len(small) - 3 == len(large) - 9 <= 6


def test_a_batch_renders_the_text_once_per_language(db, settings, mailoutbox):
    rendered = _one_batch(settings, 9, _templates_rendered)

    assert rendered == ["signatures/email/mailing.txt"] * 2
    assert len({email.body for email in mailoutbox}) == 9


@contextmanager
def _templates_rendered():
    names = []

    def record(sender, template, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    try:
        yield names
    finally:
        template_rendered.disconnect(record)
