"""Helpers for tests that start real server processes."""

import socket
import time
import urllib.request


def free_port():
    """A loopback port nothing listens on now, so parallel test runs never collide."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_ready(port, process, timeout=40):
    """Poll /readyz until the server on `port` answers; fail if `process` exits first."""
    deadline = time.monotonic() + timeout
    while True:
        assert process.poll() is None, f"the server on port {port} exited"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2):
                return
        except OSError:
            assert time.monotonic() < deadline, f"the server on port {port} is not ready"
            time.sleep(0.3)


def run_database_url():
    """The URL of this run's test database, for a process started outside the test."""
    from django.conf import settings
    from django.db import connection

    database = settings.DATABASES["default"]
    return (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{connection.settings_dict['NAME']}"
    )
