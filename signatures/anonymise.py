"""Erasing signers' personal data once a petition is over, keeping every count."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from petitions.models import Petition

from .models import Signature


def due_petitions(now=None):
    """Petitions whose signing ended more than ANONYMISE_AFTER_DAYS ago."""
    now = now or timezone.now()
    return Petition.objects.ended_before(now - timedelta(days=settings.ANONYMISE_AFTER_DAYS))


def anonymise(petition):
    """Erase names, emails and hashes of the petition's signatures; returns how many.

    Status, region, language and dates stay, so the count and the per-region totals do not
    change.
    """
    return Signature.objects.filter(
        petition=petition, anonymised_at__isnull=True
    ).erase_personal_data(anonymised_at=timezone.now())


def anonymise_due(now=None):
    """Anonymise every petition that is due; {petition: rows erased}."""
    return {petition: anonymise(petition) for petition in due_petitions(now)}
