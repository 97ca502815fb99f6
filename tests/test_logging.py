"""Logs never hold an email, a name, an IP address or a link token."""

import json
import logging
import re

import pytest

from petition_site.logs import JsonFormatter, scrub
from signatures import signing
from signatures.models import Signature
from tests.factories import sign_data


@pytest.fixture
def log_lines():
    """Everything logged, formatted exactly as production formats it."""
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect(level=logging.DEBUG)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield lines
    root.removeHandler(handler)
    root.setLevel(previous)


def test_a_full_signing_flow_logs_nothing_personal(client, petition, run_tasks, log_lines):
    client.post(
        f"/ru/petitions/{petition.slug}/sign/",
        sign_data(name="Aigul Mamatova", email="aigul.secret@example.org"),
        REMOTE_ADDR="203.0.113.77",
    )
    run_tasks()
    signature = Signature.objects.get()
    confirm = signing.confirm_token(signature)
    withdraw = signing.withdraw_token(signature)
    client.post(f"/ru/signatures/confirm/{confirm}/")
    client.get(f"/ru/signatures/confirm/{confirm}x/")  # a 400, which Django logs with its path
    client.get(f"/ru/signatures/withdraw/{withdraw}/")
    client.post(f"/ru/signatures/withdraw/{withdraw}/")

    output = "\n".join(log_lines)
    assert log_lines, "the flow should log something"
    for secret in ("aigul.secret", "example.org", "Aigul", "Mamatova", "203.0.113.77"):
        assert secret not in output
    assert confirm not in output
    assert withdraw not in output
    messages = [json.loads(line)["message"] for line in log_lines]
    assert "Bad Request: /ru/signatures/confirm/[token]/" in messages


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Bad Request: /ru/signatures/confirm/eyJhIjoxfQ:1v:abc/",
            "Bad Request: /ru/signatures/confirm/[token]/",
        ),
        ("to a.b+c@mail.example.kg failed", "to [email] failed"),
        ("from 198.51.100.23 and 2001:db8::1", "from [ip] and [ip]"),
    ],
)
def test_personal_data_is_scrubbed_from_any_message(text, expected):
    assert scrub(text) == expected


def test_each_event_is_one_line_of_json(log_lines):
    logging.getLogger("petition").warning("first line\nsecond line")

    [line] = log_lines
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["message"] == "first line\nsecond line"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", entry["time"])
