"""The site as production runs it: a throwaway database, gunicorn and the email worker."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DB_SERVER = os.environ.get("QUALITY_DB_SERVER", "postgres://postgres@127.0.0.1:5432")
# Its own name per checkout when asked (QUALITY_DB_NAME), so parallel runs never collide.
DB_NAME = os.environ.get("QUALITY_DB_NAME", "petition_quality_pages")
# The production default, a proof of work this site issues and checks, unless QUALITY_CAPTCHA
# names another CAPTCHA setting to judge the pages with.
CAPTCHA = os.environ.get("QUALITY_CAPTCHA", "altcha")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(port, workdir):
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "quality-secret-key-0123456789abcdefghijklmnop",
        "PRIVACY_HASH_KEY": "quality-hash-key-0123456789abcdefghijklmnop",
        "EMAIL_ENCRYPTION_KEYS": "cXVhbGl0eS1rZXktcXVhbGl0eS1rZXktcXVhbGl0eSE=",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": f"{DB_SERVER}/{DB_NAME}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "CAPTCHA": CAPTCHA,
        "ALTCHA_HMAC_KEY": "quality-altcha-key-0123456789abcdefghijklmnop",
        # django-environ drops one slash: four make an absolute path.
        "EMAIL_URL": f"filemail:///{workdir / 'mail'}",
        # Two workers, as on two cores; a cache they share, so the count a flow reads before
        # signing is never another worker's copy of a few seconds ago.
        "GUNICORN_WORKERS": "2",
        "CACHE_URL": f"filecache://{workdir / 'cache'}",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "warning",
        "LOG_LEVEL": "WARNING",
    }


def _database(sql):
    with psycopg.connect(f"{DB_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def _wait_until_ready(process, url):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not become ready within 60 s")


def _stop(process):
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextmanager
def running_site(workdir, log):
    """Yield the site's base URL and a function running its manage.py commands; stop both
    processes and drop the database afterwards.

    Everything the site's processes print goes to the open file log.
    """
    port = free_port()
    env = production_env(port, workdir)
    output = {"stdout": log, "stderr": subprocess.STDOUT}

    def manage(*args):
        command = [PYTHON, "manage.py", *args]
        subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=300, **output)

    _database(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    _database(f"CREATE DATABASE {DB_NAME}")
    web = worker = None
    try:
        manage("migrate", "--no-input", "-v0")
        manage("load_petition", "-v0")
        manage("collectstatic", "--no-input", "-v0")
        # Own process groups: stopping one stops its children (gunicorn's workers) too.
        web = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "petition_site.wsgi"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            **output,
        )
        worker = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--no-startup-delay"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            **output,
        )
        url = f"http://127.0.0.1:{port}"
        _wait_until_ready(web, url)
        yield url, manage
    finally:
        _stop(worker)
        _stop(web)
        _database(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
