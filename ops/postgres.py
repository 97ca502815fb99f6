"""A private PostgreSQL cluster under var/, on a port of its own, that a run may kill.

Fault runs stop, freeze and kill the database server; doing that to the shared server would
hurt everybody else on it. This cluster belongs to one run: initdb into a fresh directory,
a postmaster listening on 127.0.0.1 only (no Unix socket), trust authentication, its log in
a file of the run's choosing, and everything removed at the end.

PostgreSQL refuses to run as root. As root (in CI, in a container) the server's programs run
as the `postgres` system user through util-linux's `setpriv`, which changes user in place
(no PAM session, no extra process), so the postmaster is this run's own child and can be
signalled directly.
"""

import glob
import os
import pwd
import shutil
import signal
import subprocess
import time
from contextlib import contextmanager, suppress
from pathlib import Path

import psycopg

from ops.production import children, free_port, start


def _bin_dir():
    """PG_BIN, else the newest Debian-packaged version, else whatever is on PATH."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if found:
        return Path(found[-1])
    initdb = shutil.which("initdb")
    if not initdb:
        raise RuntimeError("PostgreSQL's server programs (initdb, postgres) are not installed")
    return Path(initdb).parent


class PrivateCluster:
    def __init__(self, directory, log, port=None):
        self.directory = Path(directory).resolve()
        self.data = self.directory / "data"
        self.log = Path(log)
        self.port = port or free_port()
        self.server = f"postgres://postgres@127.0.0.1:{self.port}"
        self.bin = _bin_dir()
        self.postmaster = None
        self._as_postgres = []
        if os.geteuid() == 0:
            self._as_postgres = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"]

    def _run(self, *command):
        with open(self.log, "ab") as output:
            subprocess.run(
                [*self._as_postgres, *command],
                stdout=output,
                stderr=subprocess.STDOUT,
                check=True,
                timeout=120,
            )

    def initdb(self):
        shutil.rmtree(self.directory, ignore_errors=True)
        self.data.mkdir(parents=True)
        if self._as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(self.directory, user.pw_uid, user.pw_gid)
            os.chown(self.data, user.pw_uid, user.pw_gid)
        self._run(
            str(self.bin / "initdb"),
            "--pgdata",
            str(self.data),
            "--username=postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )

    def start(self, timeout=30):
        """Start the postmaster and wait until it accepts connections."""
        self.launch()
        deadline = time.monotonic() + timeout
        while not self.accepts():
            if self.postmaster.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the private PostgreSQL did not start; see {self.log}")
            time.sleep(0.2)

    def launch(self):
        """Start the postmaster (again, after a kill) without waiting for it."""
        # SIGQUIT if this run dies: an immediate shutdown, which takes every backend along.
        self.postmaster = start(
            [
                *self._as_postgres,
                str(self.bin / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "unix_socket_directories=",
                "-c",
                "max_connections=200",
            ],
            env={**os.environ, "LC_ALL": "C.UTF-8"},
            log=self.log,
            cwd=self.directory,
            pdeathsig="QUIT",
        )

    def accepts(self):
        try:
            psycopg.connect(f"{self.server}/postgres", connect_timeout=2).close()
        except psycopg.OperationalError:
            return False
        return True

    def kill_immediately(self):
        """Immediate shutdown (what `pg_ctl stop -m immediate` does): no checkpoint, crash
        recovery at the next start."""
        self.postmaster.send_signal(signal.SIGQUIT)
        self.postmaster.wait(timeout=30)

    def children(self):
        """Backends and auxiliary processes: each calls setsid(), so no process group holds
        them all; their parent does."""
        return children(self.postmaster.pid)

    def freeze(self):
        """SIGSTOP the postmaster (so it forks no more), then every backend; returns how many."""
        self.postmaster.send_signal(signal.SIGSTOP)
        backends = self.children()
        for pid in backends:
            _kill(pid, signal.SIGSTOP)
        return 1 + len(backends)

    def thaw(self):
        for pid in self.children():
            _kill(pid, signal.SIGCONT)
        self.postmaster.send_signal(signal.SIGCONT)

    def stop(self):
        """Fast shutdown (SIGINT); whatever is left after 20 s is killed."""
        if self.postmaster is None or self.postmaster.poll() is not None:
            return
        backends = self.children()
        # A frozen server ignores everything but SIGCONT and SIGKILL.
        try:
            self.thaw()
            self.postmaster.send_signal(signal.SIGINT)
            with suppress(subprocess.TimeoutExpired):
                self.postmaster.wait(timeout=20)
        finally:
            # Past 20 s, or interrupted while waiting: nothing is left running.
            self.postmaster.kill()  # a no-op once it has exited
            self.postmaster.wait(timeout=10)
            for pid in backends:
                _kill(pid, signal.SIGKILL)


def _kill(pid, signum):
    with suppress(ProcessLookupError):
        os.kill(pid, signum)


@contextmanager
def private_cluster(directory, log, port=None):
    """A started PrivateCluster; stopped and its directory removed afterwards."""
    cluster = PrivateCluster(directory, log, port)
    try:
        cluster.initdb()
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(cluster.directory, ignore_errors=True)
