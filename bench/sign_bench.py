"""Load test of a viral moment against gunicorn with production settings and PostgreSQL.

Seeds its own database with BENCH_SIGNATURES confirmed signatures (5 million; the seeded
database is kept and reused while its schema and row count match), times the figures cold,
starts gunicorn on 127.0.0.1 as production runs it (ops.production), drives it with wrk (the
trivial view, the petition page, the home page, the count JSON, the signing POST, then all of
them at once in a viral mix), compares rows stored with successful responses, and stops by
itself. Run it with `make bench`. The last line is one summary, so runs can be compared:
    sign_rps=… sign_p99_ms=… baseline_rps=… ratio=… errors=… lost=… page_ratio=…
    home_ratio=… count_cold_ms_5m=… mixed_rps=… mixed_errors=… mixed_lost=…
    captcha_verify_us=…
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

import psycopg

from bench.seed import insert_signatures
from ops.production import PYTHON, ROOT, production_env, running_site, stop

DB_SERVER = os.environ.get("BENCH_DB_SERVER", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_DB_NAME", "petition_bench")
# Confirmed signatures already there when the load starts: a petition gone viral. About
# 0.6 GB of table and indexes per million; BENCH_SIGNATURES=1000000 where disk is short.
SEED_ROWS = int(os.environ.get("BENCH_SIGNATURES", "5000000"))
DURATION = os.environ.get("BENCH_SECONDS", "20")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")
CSRF = "benchcsrftoken0123456789abcdefgh"  # 32 characters: an unmasked CSRF secret
SLUG = "stop-criminalization-of-sex-work-kyrgyzstan"

WORKDIR = ROOT / "var" / "bench"
# What the bench changes of production_env, for the seeding commands and the site alike.
OVERRIDES = {
    # As behind a reverse proxy: wrk sends each signer's address in X-Forwarded-For.
    "TRUSTED_PROXY_COUNT": 1,
    # Each worker's own memory, as the site runs without a cache server.
    "CACHE_URL": "locmemcache://",
    "GUNICORN_LOG_LEVEL": "warning",
}
ENV = production_env(database_url=f"{DB_SERVER}/{DB_NAME}", workdir=WORKDIR, **OVERRIDES)


def run(*args, **kwargs):
    subprocess.run(args, cwd=ROOT, env=ENV, check=True, timeout=300, **kwargs)


def database(sql):
    with psycopg.connect(f"{DB_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def count(sql):
    with psycopg.connect(ENV["DATABASE_URL"]) as connection:
        return connection.execute(sql).fetchone()[0]


def _wrk_command(base, mode, path, threads=2, connections=CONNECTIONS, run=""):
    return subprocess.Popen(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{DURATION}s",
            "--timeout",
            "5s",
            "-s",
            str(ROOT / "bench" / "wrk_counts.lua"),
            f"{base}{path}",
        ],
        env={
            **os.environ,
            "BENCH_MODE": mode,
            "BENCH_PATH": path,
            "BENCH_CSRF": CSRF,
            "BENCH_RUN": run,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wrk_result(process):
    stdout, _stderr = process.communicate(timeout=int(DURATION) + 60)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, process.args)
    line = next(line for line in stdout.splitlines() if line.startswith("RESULT"))
    values = dict(re.findall(r"(\w+)=([\d.]+)", line))
    stats = {key: float(value) for key, value in values.items()}
    stats["rps"] = stats["ok"] / stats["seconds"]
    stats["errors"] = stats["other"] + stats["socket_errors"]
    return stats


def captcha_verify_us():
    """Microseconds the server spends on the ALTCHA solution of one signature, in all and in
    CPU: verification and spending it in the database (bench/captcha_verify.py, medians of
    200)."""
    result = subprocess.run(
        [PYTHON, "-m", "bench.captcha_verify", "200"],
        cwd=ROOT,
        env={**ENV, "CAPTCHA": "altcha", "DJANGO_SETTINGS_MODULE": "petition_site.settings"},
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    wall, cpu = result.stdout.split()[-2:]
    return int(wall), int(cpu)


def wrk(base, mode, path, run=""):
    return _wrk_result(_wrk_command(base, mode, path, run=run))


# The seeded database: built once, kept, reused while its schema and row count match.

SEED_TABLE = "bench_seed"
# signatures.models.Region, whose codes the seeded signatures share out.
REGIONS = "{bishkek,osh-city,batken,chuy,jalal-abad,naryn,osh,talas,issyk-kul,abroad}"
# The seeded signatures' spread: one every few seconds over 60 days, up to 61 days ago.
SIGNED_AT = "now() - interval '61 days' + n * (interval '60 days' / %(rows)s::bigint)"


def schema_key():
    """What the seeded schema depends on: every migration, and the locked dependencies."""
    digest = hashlib.sha256((ROOT / "uv.lock").read_bytes())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _seed_record():
    """(schema key, rows, last seeded id) of the kept database, or None."""
    try:
        with psycopg.connect(ENV["DATABASE_URL"]) as connection:
            return connection.execute(f"SELECT schema, rows, last_id FROM {SEED_TABLE}").fetchone()
    except psycopg.Error:
        return None


def _seed(rows):
    """Insert `rows` confirmed signatures over the last 60 days, with the indexes built
    afterwards (a sorted build is many times faster than 5 M random inserts)."""
    with psycopg.connect(ENV["DATABASE_URL"], autocommit=True) as connection:
        petition = connection.execute(
            "SELECT id FROM petitions_petition WHERE is_featured"
        ).fetchone()[0]
        indexes = connection.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'signatures_signature'"
            " AND indexname NOT LIKE '%_pkey'"
        ).fetchall()
        for name, _definition in indexes:
            connection.execute(f'DROP INDEX "{name}"')
        for start in range(1, rows + 1, 1_000_000):
            stop = min(start + 999_999, rows)
            insert_signatures(
                connection,
                petition,
                start,
                stop,
                {"regions": REGIONS, "rows": rows},
                name="'Seed Signer'",
                email_hash="encode(sha256(('seed-' || n)::text::bytea), 'hex')",
                region="(%(regions)s::text[])[(1 + n %% 10)::int]",
                show_name="n %% 3 = 0",
                wants_updates="n %% 2 = 0",
                language="CASE WHEN n %% 4 = 0 THEN 'en' ELSE 'ru' END",
                ip_hash="encode(sha256(('seed-ip-' || n / 4)::text::bytea), 'hex')",
                created_at=SIGNED_AT,
                confirmed_at=f"{SIGNED_AT} + interval '10 minutes'",
            )
            print(f"seeded {stop:,} of {rows:,} signatures", flush=True)
        connection.execute("SET maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            connection.execute(definition)
        connection.execute("VACUUM ANALYZE signatures_signature")
        return connection.execute(
            "SELECT coalesce(max(id), 0) FROM signatures_signature"
        ).fetchone()[0]


def seeded_database():
    """The kept seeded database, back as it was seeded; built first if missing or stale.

    Returns the last seeded signature's id: the run's own signatures come after it.
    """
    key = schema_key()
    record = _seed_record()
    if record is not None and record[:2] == (key, SEED_ROWS):
        last_id = record[2]
        with psycopg.connect(ENV["DATABASE_URL"], autocommit=True) as connection:
            connection.execute(f"DELETE FROM signatures_signature WHERE id > {last_id}")
            connection.execute("DELETE FROM django_tasks_database_dbtaskresult")
            seeded = connection.execute("SELECT count(*) FROM signatures_signature").fetchone()[0]
        if seeded == SEED_ROWS:
            print(f"reusing the seeded database {DB_NAME} ({SEED_ROWS:,} signatures)")
            run(PYTHON, "manage.py", "migrate", "--no-input", "-v0")
            run(PYTHON, "manage.py", "recount_signatures", "-v0")
            return last_id
    print(f"seeding {DB_NAME} with {SEED_ROWS:,} confirmed signatures (kept for later runs)")
    database(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    database(f"CREATE DATABASE {DB_NAME}")
    run(PYTHON, "manage.py", "migrate", "--no-input", "-v0")
    run(PYTHON, "manage.py", "load_petition", "-v0")
    last_id = _seed(SEED_ROWS) if SEED_ROWS else 0
    run(PYTHON, "manage.py", "recount_signatures", "-v0")
    with psycopg.connect(ENV["DATABASE_URL"], autocommit=True) as connection:
        connection.execute(f"CREATE TABLE {SEED_TABLE} (schema text, rows bigint, last_id bigint)")
        connection.execute(
            f"INSERT INTO {SEED_TABLE} VALUES (%s, %s, %s)", (key, SEED_ROWS, last_id)
        )
    return last_id


# The figures and the viral mix.


def cold_timings():
    """{figure: ms} of the count, regions, JSON and admin statistics, the cache emptied."""
    result = subprocess.run(
        [PYTHON, "-m", "bench.cold_counts"],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# Connections per route in the viral mix: sync workers serve queued requests in turn, so
# each connection gets about the same share: 19 of 20 read (page and JSON), 1 of 20 signs.
MIX = {"page": 12, "json": 7, "sign": 1}
MIX_PATHS = {
    "page": f"/ru/petitions/{SLUG}/",
    "json": f"/ru/petitions/{SLUG}.json",
    "sign": f"/ru/petitions/{SLUG}/sign/",
}


def mixed_run(base):
    """The viral mix: one wrk per route, all at once; {route: stats}."""
    processes = {
        route: _wrk_command(
            base, route, MIX_PATHS[route], threads=1, connections=connections, run="1"
        )
        for route, connections in MIX.items()
    }
    return {route: _wrk_result(process) for route, process in processes.items()}


def _line(name, stats):
    return (
        f"{name}: {stats['rps']:.0f} req/s, p50 {stats['p50_ms']:.1f} ms, "
        f"p99 {stats['p99_ms']:.1f} ms, errors {stats['errors']:.0f}"
    )


def main():
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, timeout=600)
    last_seeded = seeded_database()
    with running_site(
        workdir=WORKDIR,
        # The seeded database, kept for the next run.
        database_url=ENV["DATABASE_URL"],
        port=os.environ.get("BENCH_PORT"),
        load_petition=False,
        # Timed cold before gunicorn starts.
        web=False,
        # The signing path alone: emails stay queued, as tasks to count.
        worker=False,
        **OVERRIDES,
    ) as site:
        cold = cold_timings()
        site.start_web()
        base = site.url
        workers = int(site.env.get("GUNICORN_WORKERS", os.cpu_count() * 2 + 1))
        print(
            f"gunicorn: {workers} sync workers on {base}; wrk: 2 threads, "
            f"{CONNECTIONS} connections, {DURATION} s per run; {os.cpu_count()} cores shared"
        )

        wrk(base, "baseline", "/favicon.ico")  # warm-up: imports, connections, caches
        baseline = wrk(base, "baseline", "/favicon.ico")
        # What most visitors of a viral petition do: read it, with the count just signed.
        page = wrk(base, "page", MIX_PATHS["page"])
        home = wrk(base, "home", "/ru/")
        count_json = wrk(base, "json", f"/petitions/{SLUG}/count.json")
        sign = wrk(base, "sign", MIX_PATHS["sign"])
        mixed = mixed_run(base)
        verify_us, verify_cpu_us = captcha_verify_us()

        # A graceful stop lets the requests still in flight finish before rows are counted.
        stop(site.web)
        new = f"FROM signatures_signature WHERE id > {last_seeded}"
        rows = count(f"SELECT count(*) {new}")
        # Each signing run signs from its own region (wrk_counts.lua).
        sign_rows = count(f"SELECT count(*) {new} AND region = 'bishkek'")
        mixed_rows = rows - sign_rows
        distinct = count(f"SELECT count(DISTINCT email_hash) {new}")
        tasks = count("SELECT count(*) FROM django_tasks_database_dbtaskresult")
        flagged = count(f"SELECT count(*) {new} AND status = 'flagged'")

    runs = (baseline, page, home, count_json, sign)
    errors = int(sum(run["errors"] for run in runs))
    # A 302 without a row would be a signature lost. Rows without a counted response are
    # requests still in flight when wrk stopped: stored, not lost.
    lost = max(0, int(sign["ok"]) - sign_rows)
    mixed_lost = max(0, int(mixed["sign"]["ok"]) - mixed_rows)
    mixed_errors = int(sum(run["errors"] for run in mixed.values()))
    mixed_rps = sum(run["rps"] for run in mixed.values())
    ratio = sign["rps"] / baseline["rps"]
    print(f"{last_seeded:,} confirmed signatures seeded before the load")
    print("cold, cache emptied: " + ", ".join(f"{name} {ms:.1f} ms" for name, ms in cold.items()))
    print(_line("baseline GET /favicon.ico (full middleware stack, no database)", baseline))
    print(_line("petition page GET (ru)", page))
    print(_line("home page GET (ru)", home))
    print(_line("count JSON GET", count_json))
    print(_line("signing POST", sign))
    print(f"viral mix, all at once ({mixed_rps:.0f} req/s):")
    for route, stats in mixed.items():
        share = stats["rps"] / mixed_rps if mixed_rps else 0
        print(f"  {_line(route, stats)}, {share:.0%} of requests")
    print(
        f"responses 302: {sign['ok'] + mixed['sign']['ok']:.0f}; rows stored: {rows} "
        f"({distinct} distinct emails); email tasks queued: {tasks}; flagged by the rate "
        f"limit: {flagged}; lost: {lost} + {mixed_lost} in the mix; duplicates: {rows - distinct}"
    )
    print(
        f"ALTCHA solution of one signature (CAPTCHA=altcha): checked and spent in "
        f"{verify_us} µs, {verify_cpu_us} µs of it CPU"
    )
    print(
        f"sign_rps={sign['rps']:.0f} sign_p99_ms={sign['p99_ms']:.0f} "
        f"baseline_rps={baseline['rps']:.0f} ratio={ratio:.2f} errors={errors} lost={lost} "
        f"page_ratio={page['rps'] / baseline['rps']:.2f} "
        f"home_ratio={home['rps'] / baseline['rps']:.2f} "
        f"count_cold_ms_5m={max(cold.values()):.0f} mixed_rps={mixed_rps:.0f} "
        f"mixed_errors={mixed_errors} mixed_lost={mixed_lost} "
        f"captcha_verify_us={verify_us}"
    )
    healthy = errors == lost == mixed_errors == mixed_lost == flagged == 0
    return 0 if healthy and rows == distinct == tasks else 1


if __name__ == "__main__":
    sys.exit(main())
