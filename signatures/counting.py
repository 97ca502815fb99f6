"""The public count and the public list of signers, each a query behind a short cache.

Nothing is incremented per signature: a hot counter row is what makes petition sites fall
over when a petition goes viral. A COUNT over a partial index is exact, and the cache keeps
it to one query per petition every few seconds.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from .models import Signature


def _count_key(petition_id):
    return f"signatures:count:{petition_id}"


def _recent_key(petition_id):
    return f"signatures:recent:{petition_id}"


def _regions_key(petition_id):
    return f"signatures:regions:{petition_id}"


def forget(petition_id):
    """Drop every cached figure of the petition, so a person who just confirmed sees
    themselves counted."""
    cache.delete_many(
        [_count_key(petition_id), _recent_key(petition_id), _regions_key(petition_id)]
    )


def public_count(petition):
    key = _count_key(petition.pk)
    count = cache.get(key)
    if count is None:
        count = Signature.objects.counted().filter(petition=petition).count()
        cache.set(key, count, settings.PUBLIC_COUNT_CACHE_SECONDS)
    return count


def recent_public_signers(petition, limit=8):
    """[(public name, region code)] of the newest confirmed signers who chose to be shown."""
    key = _recent_key(petition.pk)
    signers = cache.get(key)
    if signers is None:
        rows = (
            Signature.objects.counted()
            .filter(petition=petition, show_name=True)
            .order_by("-confirmed_at")
            .only("name", "region")[:limit]
        )
        signers = [(row.public_name, row.region) for row in rows]
        cache.set(key, signers, settings.PUBLIC_COUNT_CACHE_SECONDS)
    return signers


def region_counts(petition):
    """{region code: counted signatures}, behind the same short cache as the count."""
    key = _regions_key(petition.pk)
    counts = cache.get(key)
    if counts is None:
        counts = dict(
            Signature.objects.counted()
            .filter(petition=petition)
            .values_list("region")
            .annotate(signatures=Count("pk"))
            .order_by()
        )
        cache.set(key, counts, settings.PUBLIC_COUNT_CACHE_SECONDS)
    return counts


def public_figures(petition):
    """The figures both public JSON documents share, under the one set of names they use."""
    return {
        "slug": petition.slug,
        "goal": petition.goal,
        "is_open": petition.is_open,
        "confirmed_count": public_count(petition),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
    }
