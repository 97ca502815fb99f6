"""Two app servers, one PostgreSQL, one worker: counts, rate limits and dedupe hold across them.

Runs real gunicorn processes on two loopback ports, as two machines behind a load balancer
would, and signs through both.
"""

import email
import json
import re
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from ops.production import free_port, running_site

PORTS = (free_port(), free_port())
SLUG = "stop-criminalization-of-sex-work-kyrgyzstan"


class Browser:
    """A visitor talking to one instance through a TLS-terminating proxy."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = {}

    def _open(self, path, data=None):
        request = urllib.request.Request(self.base + path, data=data)
        # What the proxy in front of the app would add (BEHIND_TLS_PROXY=true).
        request.add_header("X-Forwarded-Proto", "https")
        request.add_header("Referer", self.base.replace("http:", "https:") + path)
        if data is not None:
            request.add_header("Sec-Fetch-Site", "same-origin")
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        with urllib.request.urlopen(request, timeout=10) as response:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            return response.status, response.read().decode()

    def get(self, path):
        return self._open(path)[1]

    def submit(self, path, fields):
        """GET the page, then POST its form as a browser does: with the CSRF token where the
        form carries one, else (the public forms) as a same-origin request."""
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token:
            fields = {"csrfmiddlewaretoken": token.group(1), **fields}
        body = urllib.parse.urlencode(fields).encode()
        return self._open(path, data=body)


def _sign(port, email):
    return Browser(port).submit(
        f"/en/petitions/{SLUG}/sign/",
        {"name": "Two Servers", "email": email, "region": "osh", "privacy": "on"},
    )


@pytest.fixture
def cluster(fresh_database, tmp_path):
    with running_site(
        workdir=tmp_path,
        database_url=fresh_database,
        port=PORTS[0],
        collectstatic=False,
        BEHIND_TLS_PROXY="true",
        CSRF_TRUSTED_ORIGINS=",".join(f"https://127.0.0.1:{port}" for port in PORTS),
        SIGNATURE_RATE_LIMIT=3,
        GUNICORN_WORKERS=2,
        GUNICORN_ACCESS_LOG="",
    ) as site:
        site.start_web(PORTS[1])
        yield SimpleCluster(site.database_url, site.mail_dir)


class SimpleCluster:
    def __init__(self, database_url, mail_dir):
        self.database_url = database_url
        self.mail_dir = mail_dir

    def execute(self, sql):
        with psycopg.connect(self.database_url) as connection:
            connection.execute(sql)

    def rows(self, sql):
        with psycopg.connect(self.database_url) as connection:
            return connection.execute(sql).fetchall()

    def emails(self, timeout=30):
        """Each email sent, as (recipient, text), once the worker has run every queued task."""
        deadline = time.monotonic() + timeout
        while self.rows(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult "
            "WHERE status IN ('READY', 'RUNNING')"
        ) != [(0,)]:
            assert time.monotonic() < deadline, "the worker did not finish its tasks"
            time.sleep(0.2)
        files = list(self.mail_dir.iterdir())
        texts = []
        for path in files:
            for raw in path.read_text().split("\n" + "-" * 79 + "\n"):
                if raw.strip():
                    message = email.message_from_string(raw)
                    text = message.get_payload(0).get_payload(decode=True).decode()
                    texts.append((message["To"], text))
        return texts


def test_signatures_through_two_servers_share_limits_dedupe_and_count(cluster):
    # The rate limit (3 per address per hour) holds across both servers.
    for number in range(4):
        status, page = _sign(PORTS[number % 2], f"limit{number}@example.org")
        assert status == 200
        assert "Check your email" in page
    statuses = [
        row[0]
        for row in cluster.rows("SELECT status FROM signatures_signature ORDER BY created_at")
    ]
    assert statuses == ["pending", "pending", "pending", "flagged"]

    # The same address, sent to both servers at once, is one signature.
    # (A fresh start, so the rate limit above does not flag these.)
    cluster.execute("DELETE FROM signatures_signature")
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(
            pool.map(
                lambda index: _sign(PORTS[index % 2], f"Same.Person+{index}@Example.org"), range(6)
            )
        )
    assert [status for status, _ in results] == [200] * 6
    assert cluster.rows("SELECT count(*) FROM signatures_signature") == [(1,)]

    # The one worker sends its emails, and a confirmation on one server counts on both.
    # (Its own email: the signatures made before the fresh start are gone, links and all.)
    mails = "".join(text for to, text in cluster.emails() if "same.person" in to.lower())
    links = re.findall(r"https?://[^/\s]+(/en/signatures/confirm/[^/\s]+/)", mails)
    assert links, "the worker should have sent confirmation emails"
    status, page = Browser(PORTS[0]).submit(links[-1], {})
    assert "Thank you for signing" in page
    counts = [
        json.loads(Browser(port).get(f"/petitions/{SLUG}/count.json"))["count"] for port in PORTS
    ]
    assert counts == [1, 1]
