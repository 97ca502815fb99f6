"""A database that is down or hangs costs a request seconds at most, and the answer is a 503
with Retry-After and the site's page in the page's language, never a 500."""

import contextlib
import socket
import threading
import time

import psycopg
import pytest
from django.db import OperationalError, close_old_connections, connection
from django.test import Client

from signatures.models import Signature
from tests.factories import make_petition, sign_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def client():
    """The response a visitor gets; the test client would raise the error instead."""
    return Client(raise_request_exception=False)


@pytest.fixture
def petition():
    return make_petition(slug="clean-air", title_en="Clean air", title_ru="Чистый воздух")


@pytest.fixture
def database_at():
    """Point the app's connection elsewhere (host, port, options) for one test."""
    saved = dict(connection.settings_dict)
    saved_options = dict(saved.get("OPTIONS", {}))

    def point(**changes):
        connection.close()
        options = changes.pop("OPTIONS", {})
        connection.settings_dict.update(changes)
        connection.settings_dict["OPTIONS"] = {**saved_options, **options}

    yield point
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)
    connection.settings_dict["OPTIONS"] = saved_options


@pytest.fixture
def hung_server():
    """A port where the kernel completes connections and nobody ever answers, as with a
    frozen server."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield listener.getsockname()[1]


class FreezableProxy:
    """A TCP proxy in front of PostgreSQL that can stop passing bytes while it keeps every
    socket open, as a server under SIGSTOP or in a paused VM does: the kernel still accepts
    and acknowledges, nothing answers. It thaws by itself after THAW_AFTER seconds, so a
    client that waits for ever makes its test fail, not hang."""

    THAW_AFTER = 15

    def __init__(self, upstream):
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.flowing = threading.Event()
        self.flowing.set()
        self.thaw_timer = None
        self.sockets = [self.listener]
        threading.Thread(target=self._accept, daemon=True).start()

    def freeze(self):
        self.flowing.clear()
        self.thaw_timer = threading.Timer(self.THAW_AFTER, self.thaw)
        self.thaw_timer.start()

    def thaw(self):
        if self.thaw_timer:
            self.thaw_timer.cancel()
        self.flowing.set()

    def close(self):
        self.thaw()
        for sock in self.sockets:
            # Wakes the thread blocked reading it, and tells PostgreSQL the session ended.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self):
        while True:
            self.flowing.wait()
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            server = socket.create_connection(self.upstream)
            self.sockets += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pass, args=(source, target), daemon=True).start()

    def _pass(self, source, target):
        try:
            while data := source.recv(65536):
                self.flowing.wait()  # frozen: the bytes read stay here
                target.sendall(data)
            target.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # closed


@pytest.fixture
def proxy():
    proxy = FreezableProxy((connection.settings_dict["HOST"], connection.settings_dict["PORT"]))
    yield proxy
    proxy.close()


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _assert_503(response, language="en"):
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    heading = {"en": "Please try again in a minute", "ru": "Попробуйте ещё раз через минуту"}
    assert heading[language] in response.content.decode()


def test_pages_answer_503_in_their_language_while_the_database_refuses_connections(
    client, petition, database_at
):
    database_at(PORT=_closed_port())

    _assert_503(client.get("/ru/petitions/clean-air/"), language="ru")
    _assert_503(client.get("/en/"))
    _assert_503(client.post("/en/petitions/clean-air/sign/", sign_data()))


def test_a_database_that_accepts_but_never_answers_costs_the_connect_timeout(
    client, petition, database_at, hung_server
):
    # libpq's least timeout is 2 seconds; production's default is 3.
    database_at(HOST="127.0.0.1", PORT=hung_server, OPTIONS={"connect_timeout": 2})

    started = time.monotonic()
    response = client.get("/en/petitions/clean-air/")

    _assert_503(response)
    assert time.monotonic() - started < 4


def test_a_statement_stuck_behind_a_lock_is_cancelled_at_the_statement_timeout(
    client, petition, database_at
):
    database_at(OPTIONS={"options": "-c statement_timeout=1000"})
    settings_dict = connection.settings_dict
    with psycopg.connect(
        host=settings_dict["HOST"],
        port=settings_dict["PORT"],
        user=settings_dict["USER"],
        dbname=settings_dict["NAME"],
    ) as locker:
        # What a long migration or a stuck transaction does to the busiest table.
        locker.execute("LOCK TABLE signatures_signature IN ACCESS EXCLUSIVE MODE")

        started = time.monotonic()
        response = client.post("/en/petitions/clean-air/sign/", sign_data())
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert 1 <= elapsed < 3
    assert not Signature.objects.exists()


def test_web_requests_run_under_the_statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("5s",)


def test_a_query_to_a_frozen_server_fails_at_the_answer_timeout_and_drops_the_connection(
    database_at, proxy
):
    database_at(HOST="127.0.0.1", PORT=proxy.port, OPTIONS={"answer_timeout": 1})
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        proxy.freeze()

        started = time.monotonic()
        with pytest.raises(OperationalError, match="did not answer within 1 s"):
            cursor.execute("SELECT 2")
    elapsed = time.monotonic() - started

    assert 1 <= elapsed < 2
    # Its late answer must never be read as the answer to the next query.
    assert connection.connection.closed


def test_a_request_on_a_connection_to_a_frozen_server_answers_503_and_the_next_one_heals(
    client, petition, database_at, proxy
):
    # libpq's least connect timeout is 2 seconds.
    database_at(
        HOST="127.0.0.1", PORT=proxy.port, OPTIONS={"answer_timeout": 1, "connect_timeout": 2}
    )
    # As at the start and end of every request in production (the test client leaves it
    # out): the open connection is health-checked before it is used again.
    close_old_connections()
    assert client.post("/en/petitions/clean-air/sign/", sign_data()).status_code == 302
    close_old_connections()
    proxy.freeze()

    started = time.monotonic()
    response = client.post("/en/petitions/clean-air/sign/", sign_data(email="frozen@example.org"))
    elapsed = time.monotonic() - started
    close_old_connections()
    proxy.thaw()
    close_old_connections()
    healed = client.post("/en/petitions/clean-air/sign/", sign_data(email="after@example.org"))

    _assert_503(response)
    # The health check's SELECT 1 waits its answer timeout, a new connection its connect
    # timeout.
    assert 3 <= elapsed < 5
    assert healed.status_code == 302
    assert sorted(signature.email for signature in Signature.objects.all()) == [
        "after@example.org",
        "aigul@example.org",
    ]
