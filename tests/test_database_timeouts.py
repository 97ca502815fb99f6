"""Web requests run under short database timeouts; `manage.py` commands under their own."""

import subprocess
import sys

import pytest
from django.conf import settings

from tests.test_settings import BASE, _print, _start

SHOW_OPTIONS = "import django; django.setup(); from django.conf import settings; " + (
    "print(settings.DATABASES['default']['OPTIONS'])"
)


def test_web_defaults_connect_in_3_seconds_and_cancel_statements_after_5():
    options = settings.DATABASES["default"]["OPTIONS"]

    assert options["connect_timeout"] == 3
    assert options["options"] == "-c statement_timeout=5000"
    # A frozen server cancels nothing: the client stops waiting a second later.
    assert options["answer_timeout"] == 6
    assert settings.REQUEST_QUEUE_TIMEOUT == 0.5


def test_the_timeouts_read_the_environment_and_keep_the_urls_own_options():
    printed = _print(
        SHOW_OPTIONS,
        DATABASE_CONNECT_TIMEOUT="7",
        DATABASE_STATEMENT_TIMEOUT="2.5",
        DATABASE_URL=f"{BASE['DATABASE_URL']}?options=-c%20search_path%3Dpublic",
    )

    assert "'connect_timeout': 7" in printed
    assert "'options': '-c search_path=public -c statement_timeout=2500'" in printed
    assert "'answer_timeout': 3.5" in printed


def test_without_a_statement_timeout_an_answer_may_take_any_time():
    printed = _print(SHOW_OPTIONS, DATABASE_STATEMENT_TIMEOUT="0")

    assert "'answer_timeout': None" in printed


@pytest.mark.parametrize(
    ("environment", "limits"),
    [({}, "0 None"), ({"DATABASE_COMMAND_STATEMENT_TIMEOUT": "600"}, "10min 601.0")],
)
def test_commands_have_no_statement_limit_unless_given_one(db, environment, limits):
    """Their statement timeout, and how long their connection waits for an answer."""
    database = settings.DATABASES["default"]
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.db import connection; c = connection.cursor(); "
            "c.execute('SHOW statement_timeout'); "
            "print(c.fetchone()[0], connection.connection.answer_timeout)",
        ],
        cwd=settings.BASE_DIR,
        env={
            **BASE,
            "DATABASE_URL": (
                f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
                f"{database['NAME']}"
            ),
            "DATABASE_STATEMENT_TIMEOUT": "1",
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == limits


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_CONNECT_TIMEOUT", "soon", "DATABASE_CONNECT_TIMEOUT is invalid"),
        ("DATABASE_CONNECT_TIMEOUT", "-1", "must be 0 (no limit) or more"),
        ("DATABASE_STATEMENT_TIMEOUT", "-5", "must be 0 (no limit) or more"),
        ("REQUEST_QUEUE_TIMEOUT", "fast", "REQUEST_QUEUE_TIMEOUT is invalid"),
        ("REQUEST_QUEUE_TIMEOUT", "-1", "REQUEST_QUEUE_TIMEOUT must be 0"),
    ],
)
def test_a_bad_timeout_stops_start_up_with_a_clear_message(variable, value, message):
    result = _start(**{variable: value})

    assert result.returncode != 0
    assert message in result.stderr
