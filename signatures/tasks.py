"""Background work, run by `manage.py db_worker` from the database queue."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

# A mail server that is down gets retried with growing pauses for about a day.
RETRY_DELAYS = [60, 300, 900, 3600, 3 * 3600, 6 * 3600, 12 * 3600]
_MAIL_ERRORS = (OSError, smtplib.SMTPException)


def enqueue_at(task_, when, *args):
    """Queue `task_` to run at `when` (now, if that has passed).

    Development's immediate backend cannot wait: it skips a task that is not due yet (under
    `make run`, a digest skipped this way comes with the next comment after the hour).
    """
    if when <= timezone.now():
        task_.enqueue(*args)
    elif task_.get_backend().supports_defer:
        task_.using(run_after=when).enqueue(*args)
    else:
        logger.info("task_not_deferred task=%s run_after=%s", task_.name, when.isoformat())


def _retry_later(task_, attempt, error, *args):
    """Queue `task_` again after this attempt's pause; after the last pause, raise `error`."""
    if attempt >= len(RETRY_DELAYS):
        raise error
    delay = RETRY_DELAYS[attempt]
    logger.warning(
        "email_retry task=%s args=%s attempt=%s delay=%ss error=%s",
        task_.name,
        list(args),
        attempt + 1,
        delay,
        type(error).__name__,
    )
    enqueue_at(task_, timezone.now() + timedelta(seconds=delay), *args, attempt + 1)


@task()
def send_signature_email(signature_id, attempt=0):
    """Email a signer the link that fits their signature's state now.

    Pending: the confirmation link. Confirmed: "you have already signed". Withdrawn,
    invalidated or erased: nothing.

    At least once, de-duplicated: each queued email (emails_sent) is recorded as delivered
    (emails_delivered) in the transaction that sends it, which commits only once the mail
    server took the message. A second run of the task waits on the row lock, then finds no
    queued email left to send; a worker that dies before the commit leaves no record, and the
    task's next run sends. Only a death between the server's acceptance and the commit (a few
    milliseconds) sends twice.
    """
    from .emails import signature_email
    from .models import Signature

    try:
        with transaction.atomic():
            recorded = Signature.objects.filter(
                pk=signature_id, emails_delivered__lt=F("emails_sent")
            ).update(emails_delivered=F("emails_delivered") + 1)
            if not recorded:
                return
            signature = Signature.objects.select_related("petition").get(pk=signature_id)
            message = signature_email(signature)
            if message is None:
                return
            message.send()
    except _MAIL_ERRORS as error:
        _retry_later(send_signature_email, attempt, error, signature_id)
        return
    logger.info("signature_email_sent signature=%s", signature_id)


DAY = timedelta(days=1)


@task()
def anonymise_due_signatures():
    """Anonymise petitions that ended long enough ago, then come back tomorrow."""
    from .anonymise import anonymise_due

    for petition, erased in anonymise_due().items():
        logger.info("signatures_anonymised petition=%s rows=%s", petition.pk, erased)
    schedule_anonymisation(delay=DAY)


def schedule_anonymisation(delay=timedelta(0)):
    """Queue the daily anonymisation run unless one is already waiting."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=anonymise_due_signatures.module_path, status="READY"
    ).exists()
    if not waiting:
        anonymise_due_signatures.using(run_after=timezone.now() + delay).enqueue()
    return not waiting


@task()
def send_moderation_digest(attempt=0):
    """Email organizers the comments awaiting moderation, at most once per DIGEST_INTERVAL.

    Refuses to send sooner than that after the last digest, and comes back when it may. A
    comment is marked as reported in the same transaction that sends it, so nothing is
    reported twice and nothing is missed; if the email fails, nothing is marked.
    """
    from .emails import digest_email
    from .models import Comment, ModerationSettings

    if not settings.DIGEST_EMAILS:
        return
    try:
        with transaction.atomic():
            # The row lock makes concurrent digest tasks take turns.
            rules = ModerationSettings.objects.select_for_update().get_or_create(pk=1)[0]
            unreported = list(
                Comment.objects.pending()
                .filter(in_digest=False)
                .select_related("petition")
                .order_by("created_at", "pk")
            )
            if not unreported:
                return
            now = timezone.now()
            due = rules.next_digest_at(now)
            if due > now:
                enqueue_at(send_moderation_digest, due)
                return
            waiting = Comment.objects.pending().count()
            Comment.objects.filter(pk__in=[comment.pk for comment in unreported]).update(
                in_digest=True
            )
            rules.last_digest_at = now
            rules.save(update_fields=["last_digest_at"])
            # Sent inside the transaction: if the mail server fails, nothing is marked.
            digest_email(unreported, waiting).send()
    except _MAIL_ERRORS as error:
        _retry_later(send_moderation_digest, attempt, error)
        return
    logger.info("moderation_digest_sent comments=%s", len(unreported))


@task()
def send_reply_notification(reply_id, subscriber_id, attempt=0):
    """Tell the author of comment `subscriber_id` about the approved reply `reply_id`.

    At least once, de-duplicated, as the signature's email: the notification is recorded in
    the transaction that sends it.
    """
    from .emails import reply_email
    from .models import Comment, ReplyNotification

    try:
        with transaction.atomic():
            reply = (
                Comment.objects.approved().select_related("petition").filter(pk=reply_id).first()
            )
            subscriber = (
                Comment.objects.filter(pk=subscriber_id, notify_replies=True)
                .exclude(email_encrypted="")
                .first()
            )
            if reply is None or subscriber is None:
                return
            # A second run waits here on the unique constraint, then finds the record.
            _, first_time = ReplyNotification.objects.get_or_create(
                reply=reply, subscriber=subscriber
            )
            if not first_time:
                return
            reply_email(reply, subscriber).send()
    except _MAIL_ERRORS as error:
        _retry_later(send_reply_notification, attempt, error, reply_id, subscriber_id)
        return
    logger.info("reply_notification_sent reply=%s subscriber=%s", reply_id, subscriber_id)


@task()
def send_mailing(mailing_id, attempt=0):
    """Send a mailing's next batch, then come back for the next one, at the mailing rate.

    A mail server that fails altogether makes the batch stop and come back later, with the
    pauses of the other emails; each copy sent before that is recorded (signatures.mailings).
    """
    from .mailings import send_batch

    try:
        next_batch = send_batch(mailing_id)
    except _MAIL_ERRORS as error:
        _retry_later(send_mailing, attempt, error, mailing_id)
        return
    if next_batch is not None:
        enqueue_at(send_mailing, next_batch, mailing_id)


@task()
def make_signature_book(book_id):
    """Make a requested signature book and store it; a book made already is left alone."""
    from .book import render
    from .models import SignatureBook

    book = SignatureBook.objects.filter(pk=book_id, status=SignatureBook.Status.QUEUED).first()
    if book is None:
        return
    try:
        pdf, signatures, pages = render(book.petition_id, book.language)
    except Exception:
        SignatureBook.objects.filter(pk=book_id).update(
            status=SignatureBook.Status.FAILED, finished_at=timezone.now()
        )
        raise
    SignatureBook.objects.filter(pk=book_id, status=SignatureBook.Status.QUEUED).update(
        status=SignatureBook.Status.READY,
        pdf=pdf,
        signatures=signatures,
        pages=pages,
        finished_at=timezone.now(),
    )
