"""The site as production runs it, for the tools that need a real one.

The load bench, the export bench, the page-quality run, the deploy tests and the resilience
run all start the same thing: DEBUG off, a PostgreSQL database of their own, throwaway keys,
gunicorn with the project's gunicorn.conf.py, the `db_worker` that sends email (to files
here), and a wait until /readyz answers. This module is that one start, and the one stop.

    with running_site(workdir=Path("var/bench")) as site:
        site.url, site.mail_dir, site.manage("shell", "-c", "...")

Every process starts in a session of its own, so stopping it stops its children (gunicorn's
workers) too; the context manager stops them all and drops the database on the way out,
whether the block ends, raises, is interrupted with Ctrl-C or the run gets SIGTERM. Where
util-linux's `setpriv` is available the processes also die with the run if it is killed
outright (SIGKILL), so nothing is left listening.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SERVER = "postgres://postgres@127.0.0.1:5432"
GUNICORN = [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "petition_site.wsgi"]
# As the container's worker runs (bin/docker-entrypoint.sh), polling often so a run waits
# less for its emails.
WORKER = [PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--no-startup-delay"]
WORKER_ARGS = ("--interval", "0.2")


class SiteDidNotStart(RuntimeError):
    pass


def free_port():
    """A loopback port nothing listens on now, so parallel runs never collide."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def throwaway_database(name, server=SERVER):
    """An empty database `name` on `server`, dropped afterwards; yields its URL."""

    def execute(statement):
        # The name quoted as an identifier: a database may be called petition_my-branch.
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            connection.execute(sql.SQL(statement).format(sql.Identifier(name)))

    execute("DROP DATABASE IF EXISTS {} WITH (FORCE)")
    execute("CREATE DATABASE {}")
    try:
        yield f"{server}/{name}"
    finally:
        execute("DROP DATABASE IF EXISTS {} WITH (FORCE)")


@contextmanager
def production_process(database_name, server=SERVER, **overrides):
    """This very process set up as production on a throwaway database, for the benches that
    drive the site's own code in-process; yields the database URL and the work folder (its
    `mail` holds the emails). Django is set up by the caller, after entering."""
    with (
        tempfile.TemporaryDirectory(prefix="petition-bench-") as workdir,
        throwaway_database(database_name, server) as database_url,
    ):
        os.environ.update(
            production_env(
                database_url=database_url,
                workdir=workdir,
                DJANGO_SETTINGS_MODULE="petition_site.settings",
                LOG_LEVEL="WARNING",
                **overrides,
            )
        )
        try:
            yield database_url, Path(workdir)
        finally:
            from django.db import connections

            connections.close_all()


def run_database_url():
    """The URL of the database this Django process uses (a test run's own), for a process
    started outside it."""
    from django.conf import settings
    from django.db import connection

    database = settings.DATABASES["default"]
    return (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{connection.settings_dict['NAME']}"
    )


def production_env(*, database_url, workdir, port=None, **overrides):
    """The environment of a production deployment on 127.0.0.1, with throwaway keys.

    Email goes to files in workdir/mail and the cache is a directory in workdir/cache, which
    every worker process shares as they would share a cache server. `overrides` win; a value
    of None removes the variable.
    """
    workdir = Path(workdir).resolve()
    site_url = f"http://127.0.0.1:{port}" if port else "http://127.0.0.1"
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "production-like-secret-key-0123456789abcdefghijklmnop",
        "PRIVACY_HASH_KEY": "production-like-hash-key-0123456789abcdefghijklmnop",
        "EMAIL_ENCRYPTION_KEYS": "cXVhbGl0eS1rZXktcXVhbGl0eS1rZXktcXVhbGl0eSE=",
        # Production's CAPTCHA, ALTCHA, signs its challenges with this key.
        "ALTCHA_HMAC_KEY": "production-like-altcha-key-0123456789abcdefghijklmnop",
        "SITE_URL": site_url,
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        # django-environ drops one slash: four make an absolute path.
        "EMAIL_URL": f"filemail:///{workdir / 'mail'}",
        "CACHE_URL": f"filecache://{workdir / 'cache'}",
        "HOST": "127.0.0.1",
        "GUNICORN_ACCESS_LOG": "-",
    }
    if port:
        env["PORT"] = str(port)
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = str(value)
    return env


def _dies_with_this_process(command, pdeathsig):
    """`command` prefixed so the kernel sends it `pdeathsig` if this process dies first."""
    if pdeathsig is None or not shutil.which("setpriv"):
        return list(command)
    return ["setpriv", f"--pdeathsig={pdeathsig}", "--", *command]


def start(command, *, env, log, cwd=ROOT, pdeathsig="TERM"):
    """Start `command` in a session of its own, its output appended to the file `log`.

    The kernel's parent-death signal is tied to the thread that started the process: start
    processes from the main thread only.
    """
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("start server processes from the main thread")
    with open(log, "ab") as output:
        return subprocess.Popen(
            _dies_with_this_process(command, pdeathsig),
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


def stop(process, timeout=30):
    """Stop `process` and everything in its process group: SIGTERM, then SIGKILL."""
    if process is None:
        return
    if process.poll() is None:
        _signal_group(process, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=timeout)
    # Whatever of its group outlived it (a gunicorn worker whose master was killed).
    _signal_group(process, signal.SIGKILL)
    process.wait(timeout=10)


def _signal_group(process, signum):
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def children(pid):
    """The processes whose parent is `pid` (gunicorn's workers, PostgreSQL's backends)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # pid (comm) state ppid ...: comm may hold spaces, so split after its ")".
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def wait_until_ready(url, process, timeout=60):
    """Poll url/readyz until it answers 200; fail if `process` exits first or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise SiteDidNotStart(f"the server for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise SiteDidNotStart(f"{url} was not ready within {timeout} s") from None
            time.sleep(0.3)


class Site:
    """A running site: its address, environment, mailbox, logs and processes."""

    def __init__(self, env, workdir, log_dir):
        self.env = env
        self.workdir = Path(workdir)
        self.log_dir = Path(log_dir)
        self.mail_dir = self.workdir / "mail"
        self.database_url = env["DATABASE_URL"]
        self.port = int(env["PORT"])
        self.url = f"http://127.0.0.1:{self.port}"
        self.webs = []
        self.workers = []

    @property
    def web(self):
        return self.webs[0]

    @property
    def worker(self):
        return self.workers[-1] if self.workers else None

    def log(self, name):
        return self.log_dir / f"{name}.log"

    def manage(self, *args, timeout=300, **env):
        """Run a manage.py command with the site's environment; its output goes to manage.log."""
        with open(self.log("manage"), "ab") as output:
            return subprocess.run(
                [PYTHON, "manage.py", *args],
                cwd=ROOT,
                env={**self.env, **env},
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                check=True,
                timeout=timeout,
            )

    def start_web(self, port=None):
        """Start gunicorn (one more instance if a port is given) and wait until it is ready."""
        port = port or self.port
        name = "web" if not self.webs else f"web-{len(self.webs) + 1}"
        web = start(GUNICORN, env={**self.env, "PORT": str(port)}, log=self.log(name))
        self.webs.append(web)
        wait_until_ready(f"http://127.0.0.1:{port}", web)
        return web

    def start_worker(self, *args):
        """Start one more `db_worker` (as a supervisor restarts one that exited)."""
        worker = start([*WORKER, *(args or WORKER_ARGS)], env=self.env, log=self.log("worker"))
        self.workers.append(worker)
        return worker

    def stop(self):
        """Stop the workers first, so no task is left half-run by a vanished web server."""
        processes = [*reversed(self.workers), *reversed(self.webs)]
        try:
            for process in processes:
                stop(process)
        except BaseException:
            # Interrupted while stopping (a second Ctrl-C, a time-out): no more waiting, and
            # nothing left behind.
            for process in processes:
                _signal_group(process, signal.SIGKILL)
            raise


@contextmanager
def stopped_by_sigterm():
    """Turn SIGTERM (a CI time-out, `kill`) into SystemExit, so `finally` blocks still run."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def running_site(
    *,
    workdir,
    database_url=None,
    database_name="petition_production_like",
    server=SERVER,
    port=None,
    log_dir=None,
    web=True,
    worker=True,
    load_petition=True,
    collectstatic=True,
    **env,
):
    """Yield a migrated, running Site; stop every process it started and drop its database.

    A database_url is used as it is (and left in place); otherwise `database_name` is created
    on `server` and dropped afterwards. `env` overrides production_env's variables. With
    web=False or worker=False that process is not started (the caller may start it later).
    """
    workdir = Path(workdir).resolve()
    log_dir = Path(log_dir or workdir).resolve()
    for directory in (workdir, log_dir, workdir / "mail"):
        directory.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    database = (
        nullcontext(database_url) if database_url else throwaway_database(database_name, server)
    )
    with stopped_by_sigterm(), database as url:
        site = Site(
            production_env(database_url=url, workdir=workdir, port=port, **env), workdir, log_dir
        )
        try:
            site.manage("migrate", "--no-input", "-v0")
            if load_petition:
                site.manage("load_petition", "-v0")
            if collectstatic:
                site.manage("collectstatic", "--no-input", "-v0")
            if web:
                site.start_web()
            if worker:
                site.start_worker()
            yield site
        finally:
            site.stop()
