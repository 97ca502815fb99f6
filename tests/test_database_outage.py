"""A database that is down or hangs costs a request seconds at most, and the answer is a 503
with Retry-After and the site's page in the page's language, never a 500."""

import socket
import time

import psycopg
import pytest
from django.db import connection
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
