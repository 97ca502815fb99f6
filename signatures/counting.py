"""The public count, the region and per-day figures, and the public list of signers.

Every figure is a sum over a small counts table (one row per petition, status, region,
language, source (online or paper) and day), never a COUNT over the signatures: that costs
a second at five million rows. The table is kept exact without a hot counter row:

- each change of a signature's bucket appends a row to SignatureCountChange in the
  transaction that makes it (`signed` for a new signature, `recorded` around a transition);
  appending never makes two signers wait for one another;
- `fold` moves the appended changes into SignatureCount, a batch at a time: after a change
  commits, if no fold ran in the last FOLD_SECONDS. No extra process is needed, under
  `make run` either, pages only ever read, and with no changes nothing runs;
- readers add the changes not folded in yet, in the same statement, so a figure is exact
  whenever it is read, however long ago the last fold ran;
- `rebuild` (`manage.py recount_signatures`) recounts everything from the signatures.
"""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps as global_apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from petitions.models import Petition

from .models import Signature, SignatureCount, SignatureCountChange, Source

BUCKET = ["petition_id", "status", "region", "language", "source", "day"]
# One number for every process of the site, so that one folds (or rebuilds) at a time.
_FOLD_LOCK = 0x5167_C0DE
FOLD_SECONDS = 5


def signature_day() -> TruncDate:
    """The bucket's day of a signature: its confirmation's, before that its signing's."""
    return TruncDate(Coalesce("confirmed_at", "created_at"), tzinfo=timezone.get_default_timezone())


def _count_key(petition_id):
    return f"signatures:count:{petition_id}"


def _recent_key(petition_id):
    return f"signatures:recent:{petition_id}"


def _regions_key(petition_id):
    return f"signatures:regions:{petition_id}"


def forget(petition_id: int) -> None:
    """Drop every cached figure of the petition, so a person who just confirmed sees
    themselves counted."""
    cache.delete_many(
        [
            _count_key(petition_id),
            _recent_key(petition_id),
            _regions_key(petition_id),
        ]
    )


# Writers


def signed(signature: Signature) -> None:
    """Count a signature just inserted, in the inserting transaction."""
    moment = signature.confirmed_at or signature.created_at
    SignatureCountChange.objects.create(
        petition_id=signature.petition_id,
        status=signature.status,
        region=signature.region,
        language=signature.language,
        source=signature.source,
        day=timezone.localtime(moment, timezone.get_default_timezone()).date(),
        change=1,
    )
    transaction.on_commit(_fold_now_and_then, robust=True)


def entered(signatures):
    """Count signatures just inserted together (a queryset), in the inserting transaction."""
    _ids, buckets = _buckets(signatures)
    SignatureCountChange.objects.bulk_create(
        SignatureCountChange(**dict(zip(BUCKET, bucket, strict=True)), change=change)
        for bucket, change in buckets.items()
    )
    transaction.on_commit(_fold_now_and_then, robust=True)


def _buckets(signatures):
    rows = list(signatures.annotate(day=signature_day()).values_list("pk", *BUCKET))
    return [row[0] for row in rows], Counter(tuple(row[1:]) for row in rows)


@contextmanager
def recorded(signatures: QuerySet[Signature]) -> Iterator[list[int]]:
    """Record what the block does to the counts of `signatures` (a queryset).

    The rows are locked first, so no concurrent change slips between what is read before
    and after; the block gets their ids. Only buckets that changed leave a row.
    """
    with transaction.atomic():
        # Only the signatures' rows: a lock on their petition would stop its signing.
        locked = signatures.select_related(None).select_for_update(of=("self",))
        ids, before = _buckets(locked.order_by("pk"))
        yield ids
        _ids, after = _buckets(Signature.objects.filter(pk__in=ids))
        SignatureCountChange.objects.bulk_create(
            SignatureCountChange(**dict(zip(BUCKET, bucket, strict=True)), change=change)
            for bucket in before | after
            if (change := after[bucket] - before[bucket])
        )
        transaction.on_commit(_fold_now_and_then, robust=True)


def fold() -> bool:
    """Move the changes appended so far into the counts table; False if another process is
    at it.

    The DELETE ... RETURNING takes exactly the changes it removes: one committed while it
    runs stays for the next fold, and two folds at once cannot take the same change twice.
    """
    counts = SignatureCount._meta.db_table
    changes = SignatureCountChange._meta.db_table
    columns = ", ".join(BUCKET)
    placeholders = ", ".join(["%s"] * (len(BUCKET) + 1))
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_FOLD_LOCK])
            if not cursor.fetchone()[0]:
                return False
        cursor.execute(f"DELETE FROM {changes} RETURNING {columns}, change")
        totals: Counter[tuple[Any, ...]] = Counter()
        for *bucket, change in cursor.fetchall():
            totals[tuple(bucket)] += change
        cursor.executemany(
            f"INSERT INTO {counts} ({columns}, signatures) VALUES ({placeholders}) "
            f"ON CONFLICT ({columns}) "
            f"DO UPDATE SET signatures = {counts}.signatures + excluded.signatures",
            [(*bucket, change) for bucket, change in totals.items() if change],
        )
    return True


def _fold_now_and_then():
    # cache.add is atomic: one caller per FOLD_SECONDS (per process, or per site with a
    # shared cache) folds; everyone else reads the changes along with the counts. Run
    # after a commit as a robust callback: a failed fold is logged, the signer's request
    # still succeeds, and the changes wait for the next fold.
    if cache.add("signatures:counts:folded", True, FOLD_SECONDS):
        fold()


def rebuild() -> None:
    """Recount every bucket from the signatures themselves; the changes log starts empty.

    Exact while people sign: on PostgreSQL the recount and the clearing of the log read one
    snapshot, so a signature committed meanwhile is left to its logged change, counted once.
    """
    with connection.cursor() as cursor:
        postgresql = connection.vendor == "postgresql"
        if postgresql:
            # A session lock, taken before the transaction's snapshot: folds wait it out.
            cursor.execute("SELECT pg_advisory_lock(%s)", [_FOLD_LOCK])
        try:
            outermost = not connection.in_atomic_block
            with transaction.atomic():
                if postgresql and outermost:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                recount(global_apps)
        finally:
            if postgresql:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_FOLD_LOCK])


def recount(apps):
    """Fill the counts table from the signatures (also the migration that adds the table)."""
    signatures = apps.get_model("signatures", "Signature")
    counts = apps.get_model("signatures", "SignatureCount")
    apps.get_model("signatures", "SignatureCountChange").objects.all().delete()
    counts.objects.all().delete()
    # The bucket as the model of `apps` has it: the migration that adds the table predates
    # the source column.
    bucket = [name for name in BUCKET if _has_field(counts, name.removesuffix("_id"))]
    counts.objects.bulk_create(
        counts(**dict(zip(bucket, row[:-1], strict=True)), signatures=row[-1])
        for row in signatures.objects.annotate(day=signature_day())
        .values_list(*bucket)
        .annotate(Count("pk"))
        .order_by()
    )


def _has_field(model, name):
    return any(field.name == name for field in model._meta.get_fields())


# Readers


def totals(*by: str, **filters: Any) -> dict[Any, int]:
    """{value of the field `by`: signatures} over the buckets matching `filters`; with
    several fields, {(their values): signatures}.

    The folded counts and the changes not folded yet are read in one statement, so they
    agree with each other even while a fold commits. Empty buckets are left out.
    """
    folded = SignatureCount.objects.filter(**filters).values_list(*by).annotate(Sum("signatures"))
    waiting = (
        SignatureCountChange.objects.filter(**filters).values_list(*by).annotate(Sum("change"))
    )
    sums: Counter[Any] = Counter()
    for *values, signatures in folded.order_by().union(waiting.order_by(), all=True):
        sums[tuple(values) if len(by) > 1 else values[0]] += signatures
    return {key: signatures for key, signatures in sums.items() if signatures}


def public_count(petition: Petition) -> int:
    key = _count_key(petition.pk)
    count = cache.get(key)
    if count is None:
        count = sum(region_counts(petition).values())
        cache.set(key, count, settings.PUBLIC_COUNT_CACHE_SECONDS)
    return count


def recent_public_signers(petition: Petition, limit: int = 8) -> list[tuple[str, str]]:
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


def _counted(petition: Petition) -> dict[tuple[str, str], int]:
    """{(region code, source): counted signatures}, behind the same short cache as the count:
    one read gives both the region figures and the online and paper ones."""
    key = _regions_key(petition.pk)
    counts = cache.get(key)
    if counts is None:
        counts = totals("region", "source", petition=petition, status=Signature.Status.CONFIRMED)
        cache.set(key, counts, settings.PUBLIC_COUNT_CACHE_SECONDS)
    return counts


def region_counts(petition: Petition) -> dict[str, int]:
    """{region code: counted signatures}."""
    counts: Counter[str] = Counter()
    for (region, _source), signatures in _counted(petition).items():
        counts[region] += signatures
    return dict(counts)


def source_counts(petition: Petition) -> dict[str, int]:
    """{"online": counted signatures, "paper": counted paper ones}."""
    counts = dict.fromkeys(Source.values, 0)
    for (_region, source), signatures in _counted(petition).items():
        counts[source] += signatures
    return counts


def public_figures(petition: Petition) -> dict[str, Any]:
    """The figures both public JSON documents share, under the one set of names they use."""
    return {
        "slug": petition.slug,
        "goal": petition.goal,
        "is_open": petition.is_open,
        "confirmed_count": public_count(petition),
        "paper_count": source_counts(petition)[Source.PAPER],
        "generated_at": timezone.now().isoformat(timespec="seconds"),
    }
