"""Background work, run by `manage.py db_worker` from the database queue."""

import logging
import smtplib
from datetime import timedelta

from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

# A mail server that is down gets retried with growing pauses for about a day.
RETRY_DELAYS = [60, 300, 900, 3600, 3 * 3600, 6 * 3600, 12 * 3600]


@task()
def send_signature_email(signature_id, attempt=0):
    """Email a signer the link that fits their signature's state now.

    Pending: the confirmation link. Confirmed: "you have already signed". Withdrawn,
    invalidated or erased: nothing.
    """
    from .emails import signature_email
    from .models import Signature

    signature = Signature.objects.select_related("petition").filter(pk=signature_id).first()
    if signature is None:
        return
    message = signature_email(signature)
    if message is None:
        return
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as error:
        if attempt >= len(RETRY_DELAYS):
            raise
        delay = RETRY_DELAYS[attempt]
        logger.warning(
            "signature_email_retry signature=%s attempt=%s delay=%ss error=%s",
            signature_id,
            attempt + 1,
            delay,
            type(error).__name__,
        )
        send_signature_email.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            signature_id, attempt + 1
        )
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
