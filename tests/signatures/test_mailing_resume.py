"""A mailing cut short by a dead worker resumes where it stopped, and nobody gets it twice."""

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django_tasks_db.models import DBTaskResult

from signatures import mailings
from signatures.models import Mailing, MailingDelivery
from signatures.tasks import send_mailing
from tests.factories import make_mailing, make_recipient
from worker import recovery


class WorkerKilled(BaseException):
    """The process dies: nothing after this line runs, and no handler catches it."""


@pytest.fixture(autouse=True)
def _no_pause(settings):
    settings.MAILING_BATCH_SIZE = 3
    settings.MAILING_RATE_PER_MINUTE = 10**9


@pytest.fixture
def signers(petition):
    return [make_recipient(petition, f"signer{number}@example.org") for number in range(7)]


def _killed_at_message(monkeypatch, number):
    """The worker dies while handing its `number`-th message to the mail server."""
    send_messages = EmailBackend.send_messages
    handed = []

    def send_or_die(self, messages):
        handed.append(messages)
        if len(handed) == number:
            raise WorkerKilled
        return send_messages(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_or_die)
    return lambda: monkeypatch.setattr(EmailBackend, "send_messages", send_messages)


def test_a_worker_killed_mid_batch_leaves_its_task_to_the_next_and_nobody_gets_two(
    petition, signers, run_tasks, mailoutbox, monkeypatch
):
    mailing = make_mailing(petition)
    revive = _killed_at_message(monkeypatch, 2)
    mailings.start(mailing)
    task = DBTaskResult.objects.get()
    task.claim("a-worker-that-died")

    # What the worker ran when it died; a dead worker marks nothing, so the task stays RUNNING.
    with pytest.raises(WorkerKilled):
        send_mailing.call(mailing.pk)

    # One copy went out before the death; the second's record died with its transaction.
    assert [email.to for email in mailoutbox] == [["signer0@example.org"]]
    assert MailingDelivery.objects.count() == 1
    revive()
    assert recovery.requeue_lost() == [task.pk]
    run_tasks()

    assert sorted(email.to[0] for email in mailoutbox) == sorted(
        f"signer{number}@example.org" for number in range(7)
    )
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT
    assert mailings.progress(mailing) == {"sent": 7, "failed": 0, "remaining": 0}


def test_copies_already_recorded_are_skipped(petition, signers, run_tasks, mailoutbox):
    mailing = make_mailing(petition)
    for signature in signers[2:5]:
        MailingDelivery.objects.create(mailing=mailing, signature=signature, status="sent")

    mailings.start(mailing)
    run_tasks()

    assert sorted(email.to[0] for email in mailoutbox) == sorted(
        f"signer{number}@example.org" for number in (0, 1, 5, 6)
    )


def test_a_task_that_runs_again_after_the_end_sends_nothing(
    petition, signers, run_tasks, mailoutbox
):
    mailing = make_mailing(petition)
    mailings.start(mailing)
    run_tasks()

    send_mailing.call(mailing.pk)
    send_mailing.enqueue(mailing.pk)
    run_tasks()

    assert len(mailoutbox) == 7
    assert MailingDelivery.objects.count() == 7


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_mailing_at_once_send_each_copy_once(mailoutbox):
    from tests.concurrency import at_once
    from tests.factories import make_petition

    petition = make_petition()
    for number in range(12):
        make_recipient(petition, f"signer{number}@example.org")
    mailing = make_mailing(petition)
    mailings.start(mailing)

    # With no pause to keep, both pass the rate check and take the same recipients: the
    # second waits on each copy the first is sending, then skips it.
    while any(at_once(2, lambda _: mailings.send_batch(mailing.pk))):
        pass

    addresses = [email.to[0] for email in mailoutbox]
    assert sorted(addresses) == sorted(f"signer{number}@example.org" for number in range(12))
    assert MailingDelivery.objects.count() == 12
