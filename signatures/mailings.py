"""Mailings to the signers who asked for updates: who gets one, sending, unsubscribing.

At least once, de-duplicated, as the confirmation emails (README): each signer's copy is
claimed (a MailingDelivery row, unique per mailing and signature) in the transaction that
hands it to the mail server, and that transaction commits once the server took it. A batch
that runs again skips everyone with a row; a second copy running at the same time waits on
the unique constraint, then skips; a worker that dies before the commit leaves no row, so the
next run sends. Only a death between the server's acceptance and the commit (milliseconds)
sends twice. An address the server refuses is recorded as failed and not tried again.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname

from . import links, privacy
from .emails import mailing_email, mailing_emails
from .models import Mailing, MailingDelivery, Signature, Unsubscribe
from .tasks import send_mailing

logger = logging.getLogger(__name__)


def recipients(mailing):
    """Who gets `mailing`: confirmed signers of its petition who asked for updates and have
    not unsubscribed. Withdrawn, invalidated, flagged and pending signatures never do."""
    return (
        Signature.objects.counted()
        .filter(petition=mailing.petition_id, wants_updates=True)
        .exclude(email_hash="")
        .exclude(Exists(Unsubscribe.objects.filter(email_hash=OuterRef("email_hash"))))
    )


def remaining(mailing):
    """The recipients who have no copy of `mailing` yet, sent or failed."""
    return recipients(mailing).exclude(
        Exists(MailingDelivery.objects.filter(mailing=mailing, signature=OuterRef("pk")))
    )


def progress(mailing):
    """How many copies were sent, failed, and how many remain to send."""
    counts = dict(mailing.deliveries.order_by().values_list("status").annotate(Count("pk")))
    return {
        "sent": counts.get(MailingDelivery.Status.SENT, 0),
        "failed": counts.get(MailingDelivery.Status.FAILED, 0),
        "remaining": 0 if mailing.status == Mailing.Status.SENT else remaining(mailing).count(),
    }


def start(mailing):
    """Begin sending a draft: the worker takes it from here. False if it had already begun."""
    with transaction.atomic():
        started = Mailing.objects.filter(pk=mailing.pk, status=Mailing.Status.DRAFT).update(
            status=Mailing.Status.SENDING, started_at=timezone.now()
        )
        if started:
            send_mailing.enqueue(mailing.pk)
    mailing.refresh_from_db()
    logger.info("mailing_started mailing=%s started=%s", mailing.pk, bool(started))
    return bool(started)


def draft_from_update(update, user):
    """A draft mailing of a published `update` to its petition's signers, and whether it is new.

    Each language's title becomes the subject, its text the body, followed by a link to the
    update on the petition's page in that language; a language without text is left empty, so
    its signers get the first language's, as in any mailing. A discreet petition's emails
    name no petition: no link (its address names the petition) and no title, which may name
    it too and shows on a locked phone's screen: the subject is the neutral «News» in each
    signer's language. An update has one mailing: if it has one already (a draft, or one
    sent), that one is returned, so a second click mails nobody twice. Sending still takes
    the preview's confirmation.
    """
    discreet = update.petition.discreet_emails
    texts = {}
    for code, _name in settings.LANGUAGES:
        text = getattr(update, build_localized_fieldname("text", code))
        if not text:
            continue
        with translation.override(code):
            link = "" if discreet else links.absolute(update.get_absolute_url())
            neutral = gettext("News")
        title = "" if discreet else getattr(update, build_localized_fieldname("title", code))
        # An update's title may be longer than a subject: the draft shows it cut, to edit.
        texts[build_localized_fieldname("subject", code)] = Truncator(title or neutral).chars(
            Mailing._meta.get_field("subject").max_length
        )
        texts[build_localized_fieldname("body", code)] = f"{text.strip()}\n\n{link}".strip()
    # The unique update column settles two clicks at once: get_or_create reads the winner's.
    mailing, created = Mailing.objects.get_or_create(
        update=update, defaults={"petition": update.petition, "created_by": user, **texts}
    )
    logger.info("mailing_from_update update=%s mailing=%s new=%s", update.pk, mailing.pk, created)
    return mailing, created


def send_test(mailing, address):
    """Send `mailing` to `address` once in each of the site's languages; returns how many.

    Its unsubscribe link names no signature, so it opens nothing.
    """
    messages = [
        mailing_email(mailing, language=code, address=address, signature_id=0)
        for code, _ in settings.LANGUAGES
    ]
    return mail.mailers.default.send_messages(messages)


def pause():
    """The time between the starts of two batches that keeps to the rate."""
    return timedelta(minutes=settings.MAILING_BATCH_SIZE / settings.MAILING_RATE_PER_MINUTE)


def send_batch(mailing_id):
    """Send the next batch of a mailing; when the next batch is due, or None when done.

    A batch begins only a pause after the last one began, whichever task ran it: a copy of
    the task that runs again after a crash keeps to the rate, and just comes back later.
    """
    now = timezone.now()
    began = (
        Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.SENDING)
        .filter(Q(batch_started_at__isnull=True) | Q(batch_started_at__lte=now - pause()))
        .update(batch_started_at=now)
    )
    mailing = Mailing.objects.select_related("petition").filter(pk=mailing_id).first()
    if mailing is None or mailing.status != Mailing.Status.SENDING:
        return None
    if not began:
        return mailing.batch_started_at + pause()
    batch = _next_batch(mailing)
    if not batch:
        Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.SENDING).update(
            status=Mailing.Status.SENT, finished_at=timezone.now()
        )
        logger.info("mailing_finished mailing=%s", mailing_id)
        return None
    # Made once for the batch, used for each signer in it.
    claim = MailingDelivery.objects.claimer(mailing, recipients(mailing))
    email = mailing_emails(mailing)
    with mail.mailers.default as connection:
        sent = sum(_deliver(mailing, signer, claim, email, connection) for signer in batch)
    logger.info("mailing_batch mailing=%s sent=%s of=%s", mailing_id, sent, len(batch))
    return now + pause()


def _next_batch(mailing):
    """The next recipients without a copy, in id order: (id, language, encrypted address).

    Batches go in id order, so the search starts after the highest id with a copy (an index
    lookup) and stays as fast at the end of a large mailing as at its start. Only when
    nothing is left there does it look at all of them, for anyone who became a recipient
    behind that point (a late confirmation) or lost a copy to a crash.
    """
    waiting = remaining(mailing).order_by("pk").values_list("pk", "language", "email_encrypted")
    last = mailing.deliveries.aggregate(last=Max("signature"))["last"]
    if last is not None:
        ahead = list(waiting.filter(pk__gt=last)[: settings.MAILING_BATCH_SIZE])
        if ahead:
            return ahead
    return list(waiting[: settings.MAILING_BATCH_SIZE])


def _deliver(mailing, signer, claim, email, connection):
    """Send one signer their copy unless they have one; True if this call sent it."""
    signature_id, language, encrypted = signer
    address = privacy.decrypt(encrypted)
    if not address:
        # The key that encrypted it is gone: nothing to send to, ever.
        _record(mailing, signature_id, MailingDelivery.Status.FAILED, "unreadable address")
        return False
    message = email(language, address, signature_id)
    try:
        with transaction.atomic():
            # The claim checks again, as it records the copy, that the signer is still a
            # recipient: whoever withdrew, was invalidated or unsubscribed (which clears
            # wants_updates on every signature of the address) since the batch was chosen
            # gets nothing. A second copy of this batch waits here until the first commits,
            # then finds the copy recorded.
            if not claim(signature_id):
                return False
            connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused as error:
        # This address only; a server that fails altogether stops the batch (tasks.py).
        _record(mailing, signature_id, MailingDelivery.Status.FAILED, type(error).__name__)
        logger.warning("mailing_refused mailing=%s signature=%s", mailing.pk, signature_id)
        return False
    return True


def _record(mailing, signature_id, status, error):
    """Record the signer's copy of `mailing` as `status`, unless one is recorded already."""
    MailingDelivery.objects.get_or_create(
        mailing=mailing, signature_id=signature_id, defaults={"status": status, "error": error}
    )


def is_unsubscribed(email_hash):
    return Unsubscribe.objects.filter(email_hash=email_hash).exists()


def unsubscribe(signature):
    """No more mailings to this signature's address, for any petition, now or later."""
    if not signature.email_hash:
        return
    with transaction.atomic():
        Unsubscribe.objects.get_or_create(email_hash=signature.email_hash)
        Signature.objects.filter(email_hash=signature.email_hash).update(wants_updates=False)
    logger.info("mailing_unsubscribed signature=%s", signature.pk)
