"""Load test of the signing POST against gunicorn with production settings and PostgreSQL.

Starts its own database and gunicorn on 127.0.0.1 (ops.production), drives them with wrk,
compares rows stored with successful responses, and stops by itself. Run it with `make bench`.
The last line is one summary, so runs can be compared:
    sign_rps=… sign_p99_ms=… baseline_rps=… ratio=… errors=… lost=…
"""

import os
import re
import shutil
import subprocess
import sys

import psycopg

from ops.production import ROOT, running_site, stop

DB_SERVER = os.environ.get("BENCH_DB_SERVER", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_DB_NAME", "petition_bench")
DURATION = os.environ.get("BENCH_SECONDS", "20")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")
CSRF = "benchcsrftoken0123456789abcdefgh"  # 32 characters: an unmasked CSRF secret
SLUG = "stop-criminalization-of-sex-work-kyrgyzstan"


def wrk(base, mode, path):
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{DURATION}s",
            "--timeout",
            "5s",
            "-s",
            str(ROOT / "bench" / "wrk_counts.lua"),
            f"{base}{path}",
        ],
        env={**os.environ, "BENCH_MODE": mode, "BENCH_PATH": path, "BENCH_CSRF": CSRF},
        capture_output=True,
        text=True,
        timeout=int(DURATION) + 60,
        check=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT"))
    values = dict(re.findall(r"(\w+)=([\d.]+)", line))
    stats = {key: float(value) for key, value in values.items()}
    stats["rps"] = stats["ok"] / stats["seconds"]
    return stats


def count(site, sql):
    with psycopg.connect(site.database_url) as connection:
        return connection.execute(sql).fetchone()[0]


def main():
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, timeout=600)
    with running_site(
        workdir=ROOT / "var" / "bench",
        server=DB_SERVER,
        database_name=DB_NAME,
        port=os.environ.get("BENCH_PORT"),
        # The signing path alone: emails stay queued, as tasks to count.
        worker=False,
        # As behind a reverse proxy: wrk sends each signer's address in X-Forwarded-For.
        TRUSTED_PROXY_COUNT=1,
        # Each worker's own memory, as the site runs without a cache server.
        CACHE_URL="locmemcache://",
        GUNICORN_LOG_LEVEL="warning",
    ) as site:
        workers = int(site.env.get("GUNICORN_WORKERS", os.cpu_count() * 2 + 1))
        print(
            f"gunicorn: {workers} sync workers on {site.url}; wrk: 2 threads, "
            f"{CONNECTIONS} connections, {DURATION} s per run; {os.cpu_count()} cores shared"
        )

        wrk(site.url, "baseline", "/favicon.ico")  # warm-up: imports, connections, caches
        baseline = wrk(site.url, "baseline", "/favicon.ico")
        sign = wrk(site.url, "sign", f"/ru/petitions/{SLUG}/sign/")
        # What most visitors of a viral petition do: read it, with the count just signed.
        page = wrk(site.url, "page", f"/ru/petitions/{SLUG}/")

        # A graceful stop lets the requests still in flight finish before rows are counted.
        stop(site.web)
        rows = count(site, "SELECT count(*) FROM signatures_signature")
        distinct = count(site, "SELECT count(DISTINCT email_hash) FROM signatures_signature")
        tasks = count(site, "SELECT count(*) FROM django_tasks_database_dbtaskresult")
        flagged = count(site, "SELECT count(*) FROM signatures_signature WHERE status = 'flagged'")

    errors = int(sum(run["other"] + run["socket_errors"] for run in (sign, baseline, page)))
    # A 302 without a row would be a signature lost. Rows without a counted response are
    # requests still in flight when wrk stopped: stored, not lost.
    lost = max(0, int(sign["ok"]) - rows)
    ratio = sign["rps"] / baseline["rps"]
    print(
        f"baseline GET /favicon.ico (full middleware stack, no database): "
        f"{baseline['rps']:.0f} req/s, p50 {baseline['p50_ms']:.1f} ms, "
        f"p99 {baseline['p99_ms']:.1f} ms"
    )
    print(
        f"signing POST: {sign['rps']:.0f} signatures/s, p50 {sign['p50_ms']:.1f} ms, "
        f"p99 {sign['p99_ms']:.1f} ms, errors {sign['other'] + sign['socket_errors']:.0f}"
    )
    print(
        f"petition page GET (ru, {rows} signatures): {page['rps']:.0f} req/s, "
        f"p50 {page['p50_ms']:.1f} ms, p99 {page['p99_ms']:.1f} ms, "
        f"errors {page['other'] + page['socket_errors']:.0f}"
    )
    print(
        f"responses 302: {sign['ok']:.0f}; rows stored: {rows} ({distinct} distinct emails); "
        f"email tasks queued: {tasks}; flagged by the rate limit: {flagged}; lost: {lost}; "
        f"duplicates: {rows - distinct}"
    )
    print(
        f"sign_rps={sign['rps']:.0f} sign_p99_ms={sign['p99_ms']:.0f} "
        f"baseline_rps={baseline['rps']:.0f} ratio={ratio:.2f} errors={errors} lost={lost}"
    )
    return 0 if errors == lost == flagged == 0 and rows == distinct == tasks else 1


if __name__ == "__main__":
    sys.exit(main())
