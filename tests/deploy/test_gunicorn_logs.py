"""gunicorn, run as in production, writes one scrubbed JSON object per line, errors included."""

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from ops.production import free_port, run_database_url, wait_until_ready
from signatures import links
from tests.factories import make_petition, make_signature

EMAIL = "hidden.signer@example.org"


def _send_raw(port, data):
    """Send bytes as they are, as a broken client or an attacker would, and read the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        client.sendall(data)
        return client.recv(1024)


def _fetch(url, **kwargs):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, **kwargs), timeout=10) as page:
            return page.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_gunicorn_logs_requests_and_bad_requests_without_addresses_or_tokens(tmp_path):
    signature = make_signature(make_petition(slug="logs"), email=EMAIL)
    token = links.CONFIRM.token(signature.pk)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "petition_site.wsgi"],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": run_database_url(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "GUNICORN_WORKERS": "1",
        },
        stdout=(stdout := (tmp_path / "stdout").open("w")),
        stderr=(stderr := (tmp_path / "stderr").open("w")),
        start_new_session=True,
    )
    try:
        wait_until_ready(f"http://127.0.0.1:{port}", server)
        base = f"http://127.0.0.1:{port}/ru/signatures/confirm/{token}/"
        assert _fetch(base) == 200
        assert _fetch(base, method="POST") == 403  # no CSRF cookie: Django logs the path
        assert _fetch(base[:-1] + "x/") == 400  # a broken link: Django logs the path
        long_line = f"GET /ru/signatures/confirm/{token}/?to={EMAIL}&{'a' * 9000} HTTP/1.1\r\n\r\n"
        assert b" 414 " in _send_raw(port, long_line.encode())
        big_header = f"GET /ru/ HTTP/1.1\r\nHost: x\r\nX-Email: {EMAIL}{'a' * 9000}\r\n\r\n"
        assert b" 431 " in _send_raw(port, big_header.encode())
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        stdout.close()
        stderr.close()

    lines = [
        line
        for name in ("stdout", "stderr")
        for line in (tmp_path / name).read_text().splitlines()
        if line
    ]
    entries = [json.loads(line) for line in lines]
    messages = [entry["message"] for entry in entries]
    assert sum("Invalid request from ip=[ip]" in message for message in messages) == 2
    assert any(entry["logger"] == "gunicorn.access" for entry in entries)
    assert "Bad Request: /ru/signatures/confirm/[token]/" in messages
    output = "\n".join(lines)
    for secret in (token, "127.0.0.1", EMAIL, "hidden.signer", "example.org"):
        assert secret not in output, secret
