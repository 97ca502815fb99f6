"""A signature's way in: sign, confirm, withdraw. Views and admin actions call these."""

from datetime import timedelta

from django.conf import settings
from django.core import signing as django_signing
from django.db import transaction
from django.utils import timezone

from . import counting, privacy
from .models import Signature
from .tasks import send_signature_email

_CONFIRM_SALT = "signatures.confirm"
_WITHDRAW_SALT = "signatures.withdraw"


def sign(petition, data, *, ip_hash, language):
    """Store a signature, or find the one this email already made; queue its email.

    One transaction: the rate check, the insert (the unique constraint on the email hash
    settles races between concurrent requests) and the email task, so the email is queued
    if and only if the signature is stored. The caller shows the same page whatever happened.
    """
    now = timezone.now()
    since = now - timedelta(seconds=settings.SIGNATURE_RATE_WINDOW)
    with transaction.atomic():
        recent = Signature.objects.from_ip_hash_since(ip_hash, since).count()
        flagged = recent >= settings.SIGNATURE_RATE_LIMIT
        signature, _ = Signature.objects.get_or_create(
            petition=petition,
            email_hash=privacy.email_hash(data["email"]),
            defaults={
                "status": Signature.Status.FLAGGED if flagged else Signature.Status.PENDING,
                "name": data["name"],
                "email_encrypted": privacy.encrypt(data["email"]),
                "region": data["region"],
                "show_name": data["show_name"],
                "wants_updates": data["wants_updates"],
                "language": language,
                "ip_hash": ip_hash,
                "created_at": now,
            },
        )
        # Flagged signatures get no email until organizers restore them: a bot must not make
        # us mail addresses it typed in.
        emailable = signature.status in (Signature.Status.PENDING, Signature.Status.CONFIRMED)
        if emailable and signature.claim_email():
            send_signature_email.enqueue(signature.pk)
    return signature


def confirm(signature):
    """Pending becomes confirmed, in one conditional UPDATE; True if this call confirmed it.

    A flagged signature records the confirmation but stays uncounted until restored.
    """
    now = timezone.now()
    confirmed = Signature.objects.filter(pk=signature.pk, status=Signature.Status.PENDING).update(
        status=Signature.Status.CONFIRMED, confirmed_at=now
    )
    Signature.objects.filter(
        pk=signature.pk, status=Signature.Status.FLAGGED, confirmed_at__isnull=True
    ).update(confirmed_at=now)
    if confirmed:
        counting.forget(signature.petition_id)
    return bool(confirmed)


def withdraw(signature):
    """The signature stops counting and its personal data is erased; True if it was live."""
    withdrawn = (
        Signature.objects.filter(pk=signature.pk)
        .exclude(status=Signature.Status.WITHDRAWN)
        .update(
            status=Signature.Status.WITHDRAWN,
            withdrawn_at=timezone.now(),
            name="",
            email_encrypted="",
            email_hash="",
            ip_hash="",
            show_name=False,
            wants_updates=False,
        )
    )
    if withdrawn:
        counting.forget(signature.petition_id)
    return bool(withdrawn)


def confirm_token(signature):
    return django_signing.dumps(signature.pk, salt=_CONFIRM_SALT, compress=True)


def withdraw_token(signature):
    return django_signing.dumps(signature.pk, salt=_WITHDRAW_SALT, compress=True)


def read_confirm_token(token):
    """The signature id in a confirmation link; raises BadSignature or SignatureExpired."""
    return django_signing.loads(token, salt=_CONFIRM_SALT, max_age=settings.CONFIRM_LINK_MAX_AGE)


def read_withdraw_token(token):
    return django_signing.loads(token, salt=_WITHDRAW_SALT, max_age=settings.WITHDRAW_LINK_MAX_AGE)
