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
