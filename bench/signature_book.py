"""Time and memory of the signature book at 10,000 and 100,000 confirmed signers.

Creates a throwaway database, bulk-inserts confirmed signatures spread over the regions
(PostgreSQL writes them itself), recounts, then makes the book as the worker does
(signatures.book.render) twice per size: once for the time and the process's peak resident
memory, once under tracemalloc for Python's peak allocation. Run it with `make bench-book`;
it stops by itself. The last line sums it up:
    signers=… seconds=… pages=… pdf_mb=… peak_mib=… rss_mib=…
"""

import os
import resource
import sys
import time
import tracemalloc

from bench.seed import insert_signatures
from ops.production import production_process

DB_SERVER = os.environ.get("BENCH_DB_SERVER", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_BOOK_DB_NAME", "petition_bench_book")
SIZES = (10_000, 100_000)


def fill(petition_id, rows):
    from django.db import connection

    from signatures.counting import rebuild
    from signatures.models import Region

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM signatures_signature")
        insert_signatures(
            cursor,
            petition_id,
            1,
            rows,
            {"regions": Region.values, "count": len(Region.values)},
            region="(%(regions)s::text[])[1 + n %% %(count)s]",
            created_at="now() - n * interval '1 second'",
            confirmed_at="now() - n * interval '1 second'",
        )
    rebuild()


def main():
    # As the worker (a manage.py command) runs: no statement time limit.
    with production_process(DB_NAME, DB_SERVER, DATABASE_STATEMENT_TIMEOUT="0"):
        _run()
    return 0


def _run():
    import django

    django.setup()
    from django.core.management import call_command

    from petitions.models import Petition
    from signatures.book import render

    call_command("migrate", verbosity=0)
    call_command("load_petition", verbosity=0)
    petition = Petition.objects.get()
    for rows in SIZES:
        fill(petition.pk, rows)
        started = time.perf_counter()
        pdf, listed, pages = render(petition.pk, "ru")
        seconds = time.perf_counter() - started
        rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        del pdf
        tracemalloc.start()
        pdf, _listed, _pages = render(petition.pk, "ru")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"signers={listed} seconds={seconds:.1f} pages={pages} "
            f"pdf_mb={len(pdf) / 1e6:.1f} peak_mib={peak / 2**20:.1f} rss_mib={rss_mib:.0f}",
            flush=True,
        )
        assert listed == rows


if __name__ == "__main__":
    sys.exit(main())
