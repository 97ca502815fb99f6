"""Overload is shed, not queued: a request that waited longer than REQUEST_QUEUE_TIMEOUT for a
worker is answered 503 at once without being served, and so is one whose client has left."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
from django.conf import settings

from ops.production import free_port, wait_until_ready
from signatures.models import Signature
from tests.factories import make_petition, sign_data


def _assert_shed(response, language="en"):
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    heading = {"en": "Please try again in a minute", "ru": "Попробуйте ещё раз через минуту"}
    assert heading[language] in response.content.decode()


@pytest.mark.parametrize("started", ["t={:.3f}", "t={:.0f}000", "{:.3f}"])
def test_a_request_a_proxy_queued_too_long_is_shed_without_touching_the_database(
    client, petition, django_assert_num_queries, started
):
    header = started.format(time.time() - 2)

    with django_assert_num_queries(0):
        response = client.post(
            f"/ru/petitions/{petition.slug}/sign/", sign_data(), HTTP_X_REQUEST_START=header
        )

    _assert_shed(response, language="ru")
    assert not Signature.objects.exists()


def test_a_request_that_waited_less_than_the_bound_is_served(client, petition, settings):
    # A bound far above the wait, so a slow test machine cannot make the request look late.
    settings.REQUEST_QUEUE_TIMEOUT = 5
    response = client.get(
        f"/en/petitions/{petition.slug}/", HTTP_X_REQUEST_START=f"t={time.time() - 0.1:.3f}"
    )

    assert response.status_code == 200


@pytest.mark.parametrize("header", ["", "t=", "t=soon", "nan", "t=-inf"])
def test_a_missing_or_unreadable_start_time_is_no_reason_to_shed(client, petition, header):
    response = client.get(f"/en/petitions/{petition.slug}/", HTTP_X_REQUEST_START=header)

    assert response.status_code == 200


def test_no_shedding_when_the_bound_is_zero(client, petition, settings):
    settings.REQUEST_QUEUE_TIMEOUT = 0

    response = client.get(
        f"/en/petitions/{petition.slug}/", HTTP_X_REQUEST_START=f"t={time.time() - 60:.3f}"
    )

    assert response.status_code == 200


# Against gunicorn itself: its sync worker takes connections from the kernel's queue, where
# only the kernel knows how long a request has waited.

BOUND = 1.5


def _raw(port, request):
    connection = socket.create_connection(("127.0.0.1", port), timeout=20)
    connection.sendall(request)
    return connection


def _status(connection):
    """The status code of the response on `connection`, and how long it took to come."""
    started = time.monotonic()
    head = connection.recv(4096)
    connection.close()
    return int(head.split(b" ", 2)[1]), time.monotonic() - started


@pytest.fixture
def one_worker(transactional_db):
    """gunicorn with production settings and a single sync worker, on this test's database."""
    petition = make_petition(slug="clean-air", title_en="Clean air")
    database = settings.DATABASES["default"]
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
        "ALLOWED_HOSTS": "127.0.0.1",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "GUNICORN_WORKERS": "1",
        "GUNICORN_ACCESS_LOG": "",
        "REQUEST_QUEUE_TIMEOUT": str(BOUND),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "petition_site.wsgi"],
        cwd=settings.BASE_DIR,
        env=environment,
        start_new_session=True,
    )
    try:
        wait_until_ready(f"http://127.0.0.1:{port}", process)
        # The worker's first page loads the URLs, templates and catalogues: not what is timed.
        urllib.request.urlopen(f"http://127.0.0.1:{port}/en/privacy/", timeout=20).close()
        yield port, petition
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_gunicorn_sheds_what_waited_in_its_queue_and_what_nobody_waits_for(one_worker):
    port, petition = one_worker
    # The sign form needs no token: the browser says the POST comes from this site.
    body = urllib.parse.urlencode(sign_data())
    sign = (
        f"POST /en/petitions/{petition.slug}/sign/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Sec-Fetch-Site: same-origin\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}"
    ).encode()
    privacy = b"GET /en/privacy/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    # The only worker reads a form whose body arrives slowly: everything else queues.
    slow = _raw(
        port,
        b"POST /en/privacy/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na",
    )
    time.sleep(0.2)
    queued_too_long = _raw(port, privacy)
    time.sleep(2.6)
    # Waits less than the bound, but its client leaves: the signature must not be stored.
    gone = _raw(port, sign)
    gone.close()
    time.sleep(0.1)
    served = _raw(port, privacy)
    time.sleep(0.3)

    slow.sendall(b"=b")

    assert _status(slow)[0] == 403  # no CSRF token: refused, after the worker was held
    status, waited = _status(queued_too_long)
    assert status == 503
    assert waited < 1
    assert _status(served)[0] == 200
    assert not Signature.objects.exists()
    # The same signing request from a client that stays is stored: the form was good.
    assert _status(_raw(port, sign))[0] == 302
    assert Signature.objects.count() == 1
