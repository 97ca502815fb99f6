"""Logs never hold an email, a name, an IP address or a link token."""

import json
import logging
import re

import pytest
from django.utils import timezone

from petition_site.logs import JsonFormatter, scrub
from signatures import links, moderation
from signatures.models import Comment, Signature
from tests.factories import comment_data, sign_data


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


SIGNER = {"name": "Aigul Mamatova", "email": "aigul.secret@example.org"}
COMMENTER = {"author_name": "Nurlan Sadykov", "email": "nurlan.hidden@example.net"}
ADDRESSES = ("203.0.113.77", "2001:db8::77")
SECRETS = ("Aigul", "Mamatova", "aigul.secret", "Nurlan", "Sadykov", "nurlan.hidden")


def _links(email):
    """The paths of every link of this site in an email."""
    return re.findall(r"https://petition\.test(/\S+)", email.body)


def test_every_email_and_every_link_it_carries_leave_nothing_personal_in_the_logs(
    client, petition, run_tasks, mailoutbox, log_lines, settings
):
    settings.DIGEST_EMAILS = ["organizers@example.com"]
    sign = f"/ru/petitions/{petition.slug}/sign/"
    # The confirmation, then "already signed" for the same address.
    client.post(sign, sign_data(**SIGNER), REMOTE_ADDR=ADDRESSES[0])
    run_tasks()
    Signature.objects.update(status=Signature.Status.CONFIRMED, confirmed_at=timezone.now())
    client.post(sign, sign_data(**SIGNER), REMOTE_ADDR=ADDRESSES[1])
    # A comment that asks to hear of replies, the digest about it, and a reply notification.
    client.post(
        f"/en/petitions/{petition.slug}/comment/",
        comment_data(**COMMENTER, notify_replies="on"),
        REMOTE_ADDR=ADDRESSES[0],
    )
    run_tasks()
    thread = Comment.objects.get()
    moderation.reply_as_organizer(thread, "Thank you", moderator=None)
    run_tasks()

    kinds = {email.subject for email in mailoutbox}
    assert len(kinds) == 4, kinds
    links_followed = [path for email in mailoutbox for path in _links(email)]
    tokens = {
        link.kind: path.rstrip("/").rsplit("/", 1)[1]
        for path in links_followed
        for link in links.ALL
        if f"/{link.prefix}" in path
    }
    assert set(tokens) == {link.kind for link in links.ALL}
    for path in links_followed:
        client.get(path, REMOTE_ADDR=ADDRESSES[0])
        client.get(path + "x/", REMOTE_ADDR=ADDRESSES[1])  # a 404, which Django logs
    for path in links_followed:
        client.post(path, REMOTE_ADDR=ADDRESSES[1])
        client.post(path.rstrip("/") + "x/", REMOTE_ADDR=ADDRESSES[0])  # a 400, logged too

    output = "\n".join(log_lines)
    assert "Bad Request: /ru/signatures/confirm/[token]/" in output
    assert "Bad Request: /en/comments/stop-replies/[token]/" in output
    for secret in (*SECRETS, *ADDRESSES, *tokens.values(), "example.org", "example.net"):
        assert secret not in output, secret


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


def test_a_traceback_stays_inside_its_one_json_line_and_is_scrubbed(log_lines):
    try:
        raise ValueError("no mailbox aigul@example.org")
    except ValueError:
        logging.getLogger("django.request").exception(
            "Internal Server Error: /ru/signatures/confirm/MQ:1:ab/"
        )

    [line] = log_lines
    entry = json.loads(line)
    assert entry["message"] == "Internal Server Error: /ru/signatures/confirm/[token]/"
    assert entry["exception"].startswith("Traceback (most recent call last):")
    assert "ValueError: no mailbox [email]" in entry["exception"]
