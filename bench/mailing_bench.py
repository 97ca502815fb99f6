"""Time and memory of a mailing to 1,000 and then 100,000 signers, in one run.

Creates a throwaway database, fills it with confirmed signers who asked for updates (half
Russian, half English, each address encrypted as signing stores it), and sends a mailing
through the worker's own code (signatures.mailings.send_batch, batch after batch, with no
pause between them) to Django's file backend. Memory is the process's peak resident size,
read after each size: if it stays flat from 1,000 to 100,000, it is bounded. Run it with
`make bench-mailing`; it stops by itself. `BENCH_MAILING_SIZES=1000` runs the small size only
(a quick look on a busy machine). The last line sums up the largest size:
    signers=… seconds=… cpu_seconds=… cpu_ms_per_copy=… per_second=… peak_rss_small_mib=…
    peak_rss_large_mib=… duplicates=… outbox_mb=…
"""

import os
import resource
import sys
import time

import psycopg

from bench.seed import insert_signatures
from ops.production import production_process

DB_SERVER = os.environ.get("BENCH_DB_SERVER", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_DB_NAME", "petition_bench_mailing")
SIZES = sorted(
    int(size) for size in os.environ.get("BENCH_MAILING_SIZES", "1000,100000").split(",")
)


def fill(petition_id, rows):
    """Confirmed signers who asked for updates, written by PostgreSQL itself in one go.

    One encrypted address for all (decrypting costs the same for each); distinct hashes, as
    the one-signature-per-email constraint wants.
    """
    from signatures import privacy

    address = privacy.encrypt("signer@example.org")
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
        insert_signatures(
            connection,
            petition_id,
            1,
            rows,
            {"address": address},
            email_encrypted="%(address)s",
            wants_updates="true",
            language="CASE WHEN n %% 2 = 0 THEN 'ru' ELSE 'en' END",
        )
        # As autovacuum would soon after such an insert: the planner needs the table's size.
        connection.execute("ANALYZE signatures_signature")


def send(petition):
    """Start a mailing and run its batches to the end; the seconds it took, on the clock and
    on this process's CPU (the machine may be busy with other work; PostgreSQL's share is
    not in the second)."""
    from signatures import mailings
    from signatures.models import Mailing

    mailing = Mailing.objects.create(
        petition=petition,
        subject_ru="Новости кампании",
        body_ru="Мы передали подписи в Жогорку Кенеш.\n\n" * 5,
        subject_en="News from the campaign",
        body_en="We handed the signatures to the Jogorku Kenesh.\n\n" * 5,
    )
    mailings.start(mailing)
    started, cpu = time.perf_counter(), time.process_time()
    while mailings.send_batch(mailing.pk) is not None:
        pass
    return mailing, time.perf_counter() - started, time.process_time() - cpu


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count

    from petitions.models import Petition
    from signatures import mailings
    from signatures.models import MailingDelivery

    call_command("migrate", verbosity=0)
    results = {}
    for rows in SIZES:
        petition = Petition.objects.create(slug=f"bench-{rows}", title_ru="Петиция")
        fill(petition.pk, rows)
        mailing, seconds, cpu = send(petition)
        progress = mailings.progress(mailing)
        duplicates = (
            MailingDelivery.objects.values("mailing", "signature")
            .annotate(copies=Count("pk"))
            .filter(copies__gt=1)
            .count()
        )
        results[rows] = {
            "seconds": seconds,
            "cpu": cpu,
            "rss": peak_rss_mib(),
            "progress": progress,
            "duplicates": duplicates,
        }
        print(
            f"{rows:>7} signers: {progress['sent']} sent, {progress['failed']} failed, "
            f"{progress['remaining']} remaining in {seconds:.1f} s "
            f"({progress['sent'] / seconds:.0f}/s; {cpu:.1f} s of CPU), "
            f"peak RSS {results[rows]['rss']:.0f} MiB",
            flush=True,
        )
    return results


def main():
    # No pause between batches: this measures the work, not the rate limit.
    with production_process(DB_NAME, DB_SERVER, MAILING_RATE_PER_MINUTE=str(10**9)) as (_, work):
        results = _run()
        sent_bytes = sum(path.stat().st_size for path in (work / "mail").iterdir())

    small, large = results[SIZES[0]], results[SIZES[-1]]
    print(
        f"signers={SIZES[-1]} seconds={large['seconds']:.1f} cpu_seconds={large['cpu']:.1f} "
        f"cpu_ms_per_copy={1000 * large['cpu'] / SIZES[-1]:.2f} "
        f"per_second={SIZES[-1] / large['seconds']:.0f} peak_rss_small_mib={small['rss']:.0f} "
        f"peak_rss_large_mib={large['rss']:.0f} duplicates={large['duplicates']} "
        f"outbox_mb={sent_bytes / 1e6:.0f}"
    )
    return 0 if large["progress"]["sent"] == SIZES[-1] and not large["duplicates"] else 1


if __name__ == "__main__":
    sys.exit(main())
