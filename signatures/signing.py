"""A signature's way in: sign, confirm, withdraw. Views and admin actions call these."""

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from petitions.models import Petition

from . import commenting, counting, mailings, privacy
from .models import Signature, public_name
from .tasks import send_signature_email

logger = logging.getLogger(__name__)


class PetitionClosed(Exception):
    """The petition stopped accepting signatures: nothing was signed or confirmed."""


def sign(petition: Petition, data: dict[str, Any], *, ip_hash: str, language: str) -> Signature:
    """Store a signature, or find the one this email already made; queue its email.

    One transaction: the insert, which also applies the per-address limit (the unique
    constraint on the email hash settles races between concurrent requests), the email task
    and the signer's comment, if any, so the email is queued if and only if the signature is
    stored. The caller shows the same page whatever happened, except when the petition, read
    by the insert itself and not from a cache, no longer accepts signatures: PetitionClosed.
    """
    now = timezone.now()
    email_hash = privacy.email_hash(data["email"])
    with transaction.atomic():
        signature = Signature(
            petition=petition,
            email_hash=email_hash,
            email_domain=privacy.normalize_email(data["email"]).rpartition("@")[2],
            name=data["name"],
            email_encrypted=privacy.encrypt(data["email"]),
            region=data["region"],
            show_name=data["show_name"],
            # An address that unsubscribed from mailings stays unsubscribed.
            wants_updates=data["wants_updates"] and not mailings.is_unsubscribed(email_hash),
            language=language,
            ip_hash=ip_hash,
            created_at=now,
            # A new signature takes its first email as it is inserted, unless it is flagged.
            status=Signature.Status.PENDING,
            emails_sent=1,
        )
        inserted = Signature.objects.insert_unless_signed(
            signature,
            limit=_rate_limit(data),
            since=now - timedelta(seconds=settings.SIGNATURE_RATE_WINDOW),
            only_if=_accepting(petition.pk),
        )
        if inserted:
            counting.signed(signature)
            email = signature.status == Signature.Status.PENDING
        else:
            # This email already signed, or the petition has closed since it was cached.
            existing = Signature.objects.filter(petition=petition, email_hash=email_hash).first()
            if existing is None or not _accepting(petition.pk).exists():
                raise PetitionClosed
            signature = existing
            # The existing signature decides what happens.
            # Flagged signatures get no email until organizers restore them: a bot must not
            # make us mail addresses it typed in.
            email = (
                signature.status in (Signature.Status.PENDING, Signature.Status.CONFIRMED)
                and signature.claim_email()
            )
        if email:
            send_signature_email.enqueue(signature.pk)
        if data.get("comment"):
            _comment(petition, data, ip_hash=ip_hash, language=language)
    return signature


def _rate_limit(data: dict[str, Any]) -> int:
    """Signatures per address in the window; fewer for one sent without the CAPTCHA's
    solution, which is how a script that skips the CAPTCHA signs."""
    if data.get("without_captcha"):
        return min(settings.SIGNATURE_RATE_LIMIT, settings.SIGNATURE_RATE_LIMIT_UNSOLVED)
    return settings.SIGNATURE_RATE_LIMIT


def _comment(petition: Petition, data: dict[str, Any], *, ip_hash: str, language: str) -> None:
    """The signer's comment, under their public name, through the usual moderation rules.

    Over the comment limits the comment is dropped and the signature stands: the page must
    look the same whatever happened.
    """
    try:
        commenting.post(
            petition,
            text=data["comment"],
            author_name=public_name(data["name"]),
            email=data["email"],
            notify_replies=False,
            ip_hash=ip_hash,
            language=language,
            held=data.get("without_captcha", False),
        )
    except commenting.TooManyComments:
        logger.info("signing_comment_dropped petition=%s reason=limit", petition.pk)


def _accepting(petition_id: int | OuterRef) -> QuerySet[Petition]:
    return Petition.objects.accepting_signatures().filter(pk=petition_id)


def confirm(signature: Signature) -> bool:
    """Pending becomes confirmed, in one conditional UPDATE; True if this call confirmed it.

    A flagged signature records the confirmation but stays uncounted until restored. The
    UPDATE itself asks whether the petition still accepts signatures: once it is closed, a
    signature awaiting confirmation stays unconfirmed and PetitionClosed is raised.
    """
    now = timezone.now()
    with counting.recorded(Signature.objects.filter(pk=signature.pk)):
        petition_open = Exists(_accepting(OuterRef("petition_id")))
        awaiting = Signature.objects.filter(
            Q(status=Signature.Status.PENDING)
            | Q(status=Signature.Status.FLAGGED, confirmed_at__isnull=True),
            pk=signature.pk,
        )
        confirmed = awaiting.filter(petition_open, status=Signature.Status.PENDING).update(
            status=Signature.Status.CONFIRMED, confirmed_at=now
        )
        flagged = awaiting.filter(petition_open, status=Signature.Status.FLAGGED).update(
            confirmed_at=now
        )
        if not (confirmed or flagged) and awaiting.exists():
            raise PetitionClosed
    if confirmed:
        counting.forget(signature.petition_id)
    return bool(confirmed)


def withdraw(signature: Signature) -> bool:
    """The signature stops counting and its personal data is erased; True if it was live."""
    with counting.recorded(Signature.objects.filter(pk=signature.pk)):
        withdrawn = (
            Signature.objects.filter(pk=signature.pk)
            .exclude(status=Signature.Status.WITHDRAWN)
            .erase_personal_data(status=Signature.Status.WITHDRAWN, withdrawn_at=timezone.now())
        )
    if withdrawn:
        counting.forget(signature.petition_id)
    return bool(withdrawn)


def _forget_counts(signature_ids: Iterable[int]) -> None:
    petitions = Signature.objects.filter(pk__in=signature_ids).values_list("petition", flat=True)
    for petition_id in set(petitions):
        counting.forget(petition_id)


def invalidate(signatures: QuerySet[Signature], reason: str) -> int:
    """Stop counting these signatures, keeping them and the reason; returns how many changed."""
    with counting.recorded(
        signatures.exclude(status__in=[Signature.Status.WITHDRAWN, Signature.Status.INVALIDATED])
    ) as ids:
        Signature.objects.filter(pk__in=ids).update(
            status=Signature.Status.INVALIDATED, invalidation_reason=reason
        )
    _forget_counts(ids)
    return len(ids)


def restore(signatures: QuerySet[Signature]) -> int:
    """Invalidated or flagged signatures count again once confirmed; returns how many changed.

    One never confirmed goes back to pending and gets its confirmation email now (a flagged
    signature was never emailed).
    """
    with counting.recorded(
        signatures.filter(status__in=[Signature.Status.INVALIDATED, Signature.Status.FLAGGED])
    ) as ids:
        Signature.objects.filter(pk__in=ids, confirmed_at__isnull=False).update(
            status=Signature.Status.CONFIRMED, invalidation_reason=""
        )
        unconfirmed = list(Signature.objects.filter(pk__in=ids, confirmed_at__isnull=True))
        Signature.objects.filter(pk__in=[s.pk for s in unconfirmed]).update(
            status=Signature.Status.PENDING, invalidation_reason=""
        )
        for signature in unconfirmed:
            if signature.claim_email():
                send_signature_email.enqueue(signature.pk)
    _forget_counts(ids)
    return len(ids)


def resend(signature: Signature) -> bool:
    """Queue the email a signature's state calls for, within the per-signature cap."""
    with transaction.atomic():
        if signature.status not in (Signature.Status.PENDING, Signature.Status.CONFIRMED):
            return False
        if not signature.claim_email():
            return False
        send_signature_email.enqueue(signature.pk)
    return True
