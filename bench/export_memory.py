"""Memory of the signatures CSV export at 10,000 and 100,000 rows, in one run.

Creates a throwaway database, fills it with confirmed signatures, streams the admin export
through Django's test client (the whole middleware stack) and records Python's peak
allocation while the rows are consumed, without keeping them. Run it with
`make bench-export`; it stops by itself. The last line sums it up:
    rows_small=… peak_small_kib=… rows_large=… peak_large_kib=… ratio=… bytes_large=…
"""

import os
import sys
import time
import tracemalloc

import psycopg

from bench.seed import insert_signatures
from ops.production import production_process

DB_SERVER = os.environ.get("BENCH_DB_SERVER", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_EXPORT_DB_NAME", "petition_bench_export")


def fill(database_url, petition_id, rows):
    """Confirmed signatures with Cyrillic names, written by PostgreSQL itself in one go."""
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("DELETE FROM signatures_signature")
        insert_signatures(connection, petition_id, 1, rows)


def measure(client, petition_id):
    response = client.get(
        "/admin/signatures/signature/export/",
        {"petition": petition_id, "delimiter": "comma"},
    )
    assert response.status_code == 200 and response.streaming
    tracemalloc.start()
    started = time.perf_counter()
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"peak_kib": peak / 1024, "bytes": size, "lines": lines, "seconds": seconds}


def main():
    # The production settings, in this process: the test client drives the whole stack.
    with production_process(DB_NAME, DB_SERVER, ALLOWED_HOSTS="testserver") as (database_url, _):
        return export(database_url)


def export(database_url):
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from petitions.models import Petition

    call_command("migrate", verbosity=0)
    call_command("load_petition", verbosity=0)
    petition = Petition.objects.get()

    client = Client()
    user = User.objects.create_superuser("bench", password="bench-pass-1234")
    # The admin asks for a second factor: log in verified by a device, as organizers do.
    device = user.totpdevice_set.create(name="bench", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    results = {}
    for rows in (10_000, 100_000):
        fill(database_url, petition.pk, rows)
        results[rows] = measure(client, petition.pk)
        result = results[rows]
        print(
            f"{rows:>7} rows: {result['lines'] - 1} data lines, "
            f"{result['bytes'] / 1e6:.1f} MB streamed in {result['seconds']:.1f} s, "
            f"peak Python allocation {result['peak_kib']:.0f} KiB"
        )

    small, large = results[10_000], results[100_000]
    print(
        f"rows_small=10000 peak_small_kib={small['peak_kib']:.0f} rows_large=100000 "
        f"peak_large_kib={large['peak_kib']:.0f} ratio={large['peak_kib'] / small['peak_kib']:.2f} "
        f"bytes_large={large['bytes']}"
    )
    return 0 if large["lines"] == 100_001 else 1


if __name__ == "__main__":
    sys.exit(main())
