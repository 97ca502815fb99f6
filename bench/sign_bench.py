"""Load test of the signing POST against gunicorn with production settings and PostgreSQL.

Starts its own database and gunicorn on 127.0.0.1, drives them with wrk, compares rows
stored with successful responses, and stops by itself. Run it with `make bench`.
The last line is one summary, so runs can be compared:
    sign_rps=… sign_p99_ms=… baseline_rps=… ratio=… errors=… lost=… captcha_verify_us=…
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = int(os.environ.get("BENCH_PORT", "8765"))
DB_SERVER = os.environ.get("BENCH_DB_SERVER", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "petition_bench"
DURATION = os.environ.get("BENCH_SECONDS", "20")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")
CSRF = "benchcsrftoken0123456789abcdefgh"  # 32 characters: an unmasked CSRF secret
SLUG = "stop-criminalization-of-sex-work-kyrgyzstan"

ENV = {
    **os.environ,
    "DEBUG": "false",
    "SECRET_KEY": "bench-secret-key-0123456789abcdefghijklmnop",
    "PRIVACY_HASH_KEY": "bench-hash-key-0123456789abcdefghijklmnop",
    "EMAIL_ENCRYPTION_KEYS": "YmVuY2gta2V5LWJlbmNoLWtleS1iZW5jaC1rZXktISE=",
    "SITE_URL": f"http://127.0.0.1:{PORT}",
    "DATABASE_URL": f"{DB_SERVER}/{DB_NAME}",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "ALTCHA_HMAC_KEY": "bench-altcha-key-0123456789abcdefghijklmnop",
    # As behind a reverse proxy: wrk sends each signer's address in X-Forwarded-For.
    "TRUSTED_PROXY_COUNT": "1",
    "HOST": "127.0.0.1",
    "PORT": str(PORT),
    "GUNICORN_ACCESS_LOG": str(ROOT / "var" / "bench-access.log"),
    "GUNICORN_LOG_LEVEL": "warning",
}


def run(*args, **kwargs):
    subprocess.run(args, cwd=ROOT, env=ENV, check=True, timeout=300, **kwargs)


def database(sql):
    with psycopg.connect(f"{DB_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def count(sql):
    with psycopg.connect(ENV["DATABASE_URL"]) as connection:
        return connection.execute(sql).fetchone()[0]


def wrk(mode, path):
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
            f"http://127.0.0.1:{PORT}{path}",
        ],
        env={**ENV, "BENCH_MODE": mode, "BENCH_PATH": path, "BENCH_CSRF": CSRF},
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


def captcha_verify_us():
    """Microseconds the server spends on the ALTCHA solution of one signature, in all and in
    CPU: verification and spending it in the database (bench/captcha_verify.py, medians of
    200)."""
    result = subprocess.run(
        [PYTHON, "bench/captcha_verify.py", "200"],
        cwd=ROOT,
        env={
            **ENV,
            "CAPTCHA": "altcha",
            "DJANGO_SETTINGS_MODULE": "petition_site.settings",
            "PYTHONPATH": str(ROOT),
        },
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    wall, cpu = result.stdout.split()[-2:]
    return int(wall), int(cpu)


def wait_until_ready(process):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/readyz", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not become ready within 60 s")


def main():
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, timeout=600)
    database(f"DROP DATABASE IF EXISTS {DB_NAME}")
    database(f"CREATE DATABASE {DB_NAME}")
    gunicorn = None
    try:
        run(PYTHON, "manage.py", "migrate", "--no-input", "-v0")
        run(PYTHON, "manage.py", "load_petition", "-v0")
        run(PYTHON, "manage.py", "collectstatic", "--no-input", "-v0")
        gunicorn = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "petition_site.wsgi"],
            cwd=ROOT,
            env=ENV,
            start_new_session=True,
        )
        wait_until_ready(gunicorn)
        workers = int(ENV.get("GUNICORN_WORKERS", os.cpu_count() * 2 + 1))
        print(
            f"gunicorn: {workers} sync workers on 127.0.0.1:{PORT}; wrk: 2 threads, "
            f"{CONNECTIONS} connections, {DURATION} s per run; {os.cpu_count()} cores shared"
        )

        wrk("baseline", "/favicon.ico")  # warm-up: imports, connections, caches
        baseline = wrk("baseline", "/favicon.ico")
        sign = wrk("sign", f"/ru/petitions/{SLUG}/sign/")
        # What most visitors of a viral petition do: read it, with the count just signed.
        page = wrk("page", f"/ru/petitions/{SLUG}/")
        verify_us, verify_cpu_us = captcha_verify_us()

        # A graceful stop lets the requests still in flight finish before rows are counted.
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
        rows = count("SELECT count(*) FROM signatures_signature")
        distinct = count("SELECT count(DISTINCT email_hash) FROM signatures_signature")
        tasks = count("SELECT count(*) FROM django_tasks_database_dbtaskresult")
        flagged = count("SELECT count(*) FROM signatures_signature WHERE status = 'flagged'")
    finally:
        if gunicorn is not None and gunicorn.poll() is None:
            os.killpg(gunicorn.pid, signal.SIGKILL)
        database(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")

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
        f"ALTCHA solution of one signature (CAPTCHA=altcha): checked and spent in "
        f"{verify_us} µs, {verify_cpu_us} µs of it CPU"
    )
    print(
        f"sign_rps={sign['rps']:.0f} sign_p99_ms={sign['p99_ms']:.0f} "
        f"baseline_rps={baseline['rps']:.0f} ratio={ratio:.2f} errors={errors} lost={lost} "
        f"captcha_verify_us={verify_us}"
    )
    return 0 if errors == lost == flagged == 0 and rows == distinct == tasks else 1


if __name__ == "__main__":
    sys.exit(main())
