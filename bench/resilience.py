"""A bad day, on production settings: what is lost, what leaks, how fast the site heals.

Starts a private PostgreSQL cluster under var/resilience/ (so it can be killed and frozen
without touching any shared server), the site on it as production runs it (ops.production:
gunicorn + db_worker), and runs each scenario against 127.0.0.1 only, printing PASS or FAIL
with its figures:

  duplicates   200 concurrent signs with one email leave one row
  pg-kill      PostgreSQL killed (immediate shutdown) mid-load: every acknowledged
               signature is stored; the site is healthy within 10 s, not restarted
  pg-freeze    PostgreSQL frozen (SIGSTOP) 20 s: every request is answered, 503 or served,
               within the database's answer and connect timeouts and a margin, none left to
               gunicorn's worker timeout; signing again within 10 s of SIGCONT
  web-kill     a gunicorn worker SIGKILLed under load: only its in-flight request fails;
               what queued while it was missing may be shed (503), never lost
  worker-kill  db_worker SIGKILLed 5 times under 2,000 queued emails: each confirmation
               sent once, counted in the email files; no task left held by a dead worker
               once WORKER_LOST_AFTER and a heartbeat have passed
  overload     3x the sustainable signing rate for 30 s: served p99 < 1 s, the excess
               answered 503/429 within 1 s, nothing acknowledged lost, memory bounded,
               the first request after the burst answered < 1 s (served, or shed if
               it queued behind the burst), and one a second later served < 1 s
  log-scan     every log the run wrote holds no email, name, client IP or link token

The scenarios measure from outside. Two bounds are the site's own, read from its settings
and printed with the figures: a request whose database froze waits at most the connection's
answer timeout (a frozen PostgreSQL cannot enforce its statement timeout, so the client gives
up a second after it: petition_site/postgresql), then the connect timeout for a new
connection; and a task held by a killed db_worker runs again only once its heartbeat is
WORKER_LOST_AFTER old. Every loop is bounded in count and time;
the run stops by itself within 10 minutes and stops everything it started. Exits 1 if any
scenario fails. Run it with `make resilience` (or `python -m bench.resilience pg-kill ...`
for some of them); its logs stay in var/resilience/logs/.
"""

import asyncio
import email
import json
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from ops.postgres import private_cluster
from ops.production import PYTHON, ROOT, children, running_site, stop, stopped_by_sigterm

OUT = ROOT / "var" / "resilience"
LOGS = OUT / "logs"
SLUG = "stop-criminalization-of-sex-work-kyrgyzstan"
CSRF = "resiliencecsrf0123456789abcdefgh"  # 32 characters: an unmasked CSRF secret
RUN_LIMIT = 570  # seconds, start-up included; stopping everything takes the rest of ten minutes
# Seconds past the database's answer and connect timeouts for a request to a frozen database
# to be answered: up to REQUEST_QUEUE_TIMEOUT waiting for a worker, and rendering the page.
ANSWER_MARGIN = 2
FREEZE = 20  # seconds
LOST_MARGIN = 15  # seconds past WORKER_LOST_AFTER + a heartbeat for a requeued task to be sent
HEAL_WITHIN = 10  # seconds
SHED_WITHIN = 1  # seconds: p99 of served requests, and every 503/429, in an overload
SURNAME = "Сынакова"  # in every name the run signs with, so the log scan finds any of them
SIGNED = 302
SHED = {429, 503}
FREEZE_ANSWERS = {200, SIGNED, 503}  # served, or "try again in a minute"


class RunTooLong(Exception):
    pass


@dataclass
class Reply:
    status: int | None
    seconds: float
    error: str = ""
    started: float = 0.0


@dataclass
class Person:
    name: str
    email: str
    ip: str


@dataclass
class Run:
    port: int
    deadline: float  # monotonic: the whole run ends by then
    people: int = 0
    tokens: set = field(default_factory=set)
    results: list = field(default_factory=list)

    def person(self, kind):
        """A new signer: a name with SURNAME, an email of its own, an address of its own."""
        self.people += 1
        n = self.people
        # 198.18.0.0/15 is set aside for benchmarks: no real person's address.
        ip = f"198.{18 + n // 65536}.{n // 256 % 256}.{n % 256}"
        return Person(f"Айгүл {SURNAME} {kind} {n}", f"{kind}.{n}@example.org", ip)

    def report(self, name, passed, figures):
        self.results.append((name, passed))
        print(f"{'PASS' if passed else 'FAIL'} {name}: {figures}", flush=True)

    async def http(self, method, path, *, body=b"", headers=(), timeout=30.0):
        """One request on its own connection; the status, or why there was none."""
        started = time.monotonic()
        writer = None
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: 127.0.0.1:{self.port}",
            "Connection: close",
            f"Content-Length: {len(body)}",
            *headers,
        ]
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.write("\r\n".join(lines).encode() + b"\r\n\r\n" + body)
                await writer.drain()
                status_line = await reader.readline()
                if not status_line:
                    raise ConnectionResetError("closed without an answer")
                status = int(status_line.split()[1])
                await reader.read()
        except TimeoutError:
            return Reply(None, time.monotonic() - started, "timeout", started)
        except (OSError, ValueError, IndexError) as error:
            return Reply(None, time.monotonic() - started, type(error).__name__, started)
        finally:
            if writer is not None:
                writer.close()
        return Reply(status, time.monotonic() - started, "", started)

    async def post(self, path, fields, ip, timeout=30.0):
        """A form POST as a browser behind the proxy sends it, CSRF cookie and token."""
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": CSRF, **fields}).encode()
        headers = (
            "Content-Type: application/x-www-form-urlencoded",
            f"Cookie: csrftoken={CSRF}",
            f"X-Forwarded-For: {ip}",
        )
        return await self.http("POST", path, body=body, headers=headers, timeout=timeout)

    async def sign(self, person, timeout=30.0):
        fields = {"name": person.name, "email": person.email, "region": "bishkek"}
        return await self.post(
            f"/ru/petitions/{SLUG}/sign/", {**fields, "privacy": "on"}, person.ip, timeout
        )

    async def signing(self, kind, until, acknowledged, replies, limit=5000):
        """Sign new people one after another until `until` (monotonic) or `limit` requests."""
        for _ in range(limit):
            if time.monotonic() >= until:
                return
            person = self.person(kind)
            reply = await self.sign(person)
            replies.append(reply)
            if reply.status == SIGNED:
                acknowledged.append(person.name)
            else:
                await asyncio.sleep(0.05)  # no busy loop on fast errors

    def load(self, kind, seconds, signers):
        """`signers` signing new people side by side for `seconds`, in the background; a
        future of their end, and the lists the acknowledged names and replies go to."""
        acknowledged, replies = [], []
        until = time.monotonic() + seconds
        running = asyncio.gather(
            *(self.signing(kind, until, acknowledged, replies) for _ in range(signers))
        )
        return running, acknowledged, replies

    async def healed(self, kind, since, limit):
        """Seconds from `since` until a signature is acknowledged again; None past `limit`."""
        deadline = since + limit
        while time.monotonic() < deadline:
            reply = await self.sign(
                self.person(kind), timeout=max(0.5, deadline - time.monotonic())
            )
            if reply.status == SIGNED:
                return time.monotonic() - since
            await asyncio.sleep(0.2)
        return None


def rows(site, sql, *params):
    with psycopg.connect(site.database_url, connect_timeout=5) as connection:
        return connection.execute(sql, params).fetchall()


def missing(site, names):
    """The acknowledged names with no signature stored."""
    stored = {
        name
        for (name,) in rows(
            site, "SELECT name FROM signatures_signature WHERE name = ANY(%s)", list(names)
        )
    }
    return [name for name in names if name not in stored]


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def statuses(replies):
    return dict(Counter(reply.status or reply.error for reply in replies).most_common())


def supervise(site, notes):
    """Restart the email worker if it exited, as compose's `restart: unless-stopped` does."""
    if site.worker.poll() is not None:
        notes.append(f"db_worker exited ({site.worker.returncode}), restarted by the run")
        site.start_worker()


async def duplicates(run, site):
    person = run.person("duplicate")
    replies = await asyncio.gather(
        *(
            run.sign(Person(person.name, person.email, run.person("duplicate").ip))
            for _ in range(200)
        )
    )
    stored = rows(site, "SELECT count(*) FROM signatures_signature WHERE name = %s", person.name)
    failed = [reply for reply in replies if reply.status not in {SIGNED, *SHED}]
    run.report(
        "duplicates",
        stored[0][0] == 1 and not failed,
        f"200 concurrent signs, one email → {stored[0][0]} row(s); answers {statuses(replies)}; "
        f"p99 {percentile([r.seconds for r in replies], 0.99):.2f} s",
    )


async def pg_kill(run, site, cluster):
    notes = []
    load, acknowledged, replies = run.load("kill", 14, signers=6)
    await asyncio.sleep(4)
    cluster.kill_immediately()
    killed_at = time.monotonic()
    await asyncio.sleep(2)
    cluster.launch()
    for _ in range(150):
        if cluster.accepts():
            break
        await asyncio.sleep(0.2)
    back_at = time.monotonic()
    heal = await run.healed("kill", back_at, 30)
    await load
    during = [r for r in replies if killed_at <= r.started < back_at]
    lost = missing(site, acknowledged)
    supervise(site, notes)
    run.report(
        "pg-kill",
        not lost and heal is not None and heal <= HEAL_WITHIN and site.web.poll() is None,
        f"{len(acknowledged)} signatures acknowledged, {len(lost)} missing; "
        f"PostgreSQL down {back_at - killed_at:.1f} s, answers meanwhile {statuses(during)}; "
        f"signing again {_seconds(heal)} after PostgreSQL was back (≤ {HEAL_WITHIN} s), "
        f"gunicorn not restarted; " + ("; ".join(notes) or "db_worker still running"),
    )


def _seconds(value):
    return "never" if value is None else f"{value:.1f} s"


async def pg_freeze(run, site, cluster, settings):
    notes = []
    requests = []
    signers = []
    options = settings["OPTIONS"]
    # An open connection waits the answer timeout (the health check's SELECT 1), a new one
    # the connect timeout; gunicorn's worker timeout must never be what ends a request.
    bound = options["answer_timeout"] + options["connect_timeout"] + ANSWER_MARGIN
    # Side by side, so that every worker holds an open connection when the server stops.
    await asyncio.gather(*(run.sign(run.person("freeze")) for _ in range(12)))
    frozen = cluster.freeze()
    frozen_at = time.monotonic()
    for number in range(2 * FREEZE):  # one request every half second
        if number % 2:
            signers.append(run.person("freeze"))
            request = run.sign(signers[-1], timeout=bound + 15)
        else:
            request = run.http("GET", f"/ru/petitions/{SLUG}/", timeout=bound + 15)
        requests.append(asyncio.create_task(request))
        await asyncio.sleep(0.5)
    cluster.thaw()
    thawed_at = time.monotonic()
    heal = await run.healed("freeze", thawed_at, 40)
    replies = await asyncio.gather(*requests)
    late = [r for r in replies if r.status not in FREEZE_ANSWERS or r.seconds > bound]
    acknowledged = [
        person.name
        for person, reply in zip(signers, replies[1::2], strict=True)
        if reply.status == SIGNED
    ]
    lost = missing(site, acknowledged)
    seconds = [r.seconds for r in replies]
    supervise(site, notes)
    run.report(
        "pg-freeze",
        not late and not lost and heal is not None and heal <= HEAL_WITHIN,
        f"{frozen} PostgreSQL processes stopped for {thawed_at - frozen_at:.0f} s; "
        f"{len(replies)} requests meanwhile: {len(replies) - len(late)} answered "
        f"{'/'.join(map(str, sorted(FREEZE_ANSWERS)))} within {bound:g} s (answer timeout "
        f"{options['answer_timeout']:g} s + connect timeout {options['connect_timeout']} s "
        f"+ {ANSWER_MARGIN} s), answers {statuses(replies)}, "
        f"median {statistics.median(seconds):.1f} s, max {max(seconds):.1f} s; "
        f"{len(acknowledged)} signatures acknowledged, {len(lost)} missing; "
        f"signing again {_seconds(heal)} after SIGCONT (≤ {HEAL_WITHIN} s); "
        + ("; ".join(notes) or "db_worker still running"),
    )


async def web_kill(run, site):
    before = children(site.web.pid)
    load, acknowledged, replies = run.load("webkill", 8, signers=8)
    await asyncio.sleep(3)
    os.kill(before[0], signal.SIGKILL)
    await load
    after = children(site.web.pid)
    # With a worker fewer until its replacement has booted, requests queue longer than
    # REQUEST_QUEUE_TIMEOUT and are shed (503, send again), as the site is built to do: a
    # signer is told, nothing is lost. Anything else but a signature is a failure.
    shed = [r for r in replies if r.status in SHED]
    failed = [r for r in replies if r.status != SIGNED and r.status not in SHED]
    lost = missing(site, acknowledged)
    run.report(
        "web-kill",
        len(failed) <= 1 and not lost and len(after) == len(before) and before[0] not in after,
        f"1 of {len(before)} gunicorn workers SIGKILLed under 8 signers; {len(replies)} "
        f"requests, {len(failed)} failed ({statuses(failed) or 'none'}; at most 1 was in "
        f"flight on it), {len(shed)} shed (503/429) while a worker was missing, the slowest "
        f"in {max((r.seconds for r in shed), default=0):.2f} s; {len(acknowledged)} "
        f"acknowledged, {len(lost)} missing; workers after: {len(after)}",
    )


def _sent(mail_dir, prefix):
    """How many messages each address with `prefix` received, from the email files."""
    pattern = re.compile(rf"^To: ({re.escape(prefix)}\.\d+@example\.org)$", re.M)
    received = Counter()
    for path in mail_dir.iterdir():
        received.update(pattern.findall(path.read_text(errors="replace")))
    return received


def _tasks(site):
    return dict(
        rows(site, "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY 1")
    )


async def worker_kill(run, site, settings):
    stop(site.worker)
    acknowledged, replies = [], []
    emails = {}
    queue = asyncio.Queue()
    for _ in range(2000):
        person = run.person("mail")
        emails[person.name] = person.email
        queue.put_nowait(person)

    async def queue_signatures():
        while not queue.empty():
            person = queue.get_nowait()
            reply = await run.sign(person, timeout=30)
            replies.append(reply)
            if reply.status == SIGNED:
                acknowledged.append(person.name)

    await asyncio.gather(*(queue_signatures() for _ in range(12)))
    expected = {emails[name] for name in acknowledged}
    kills = 0
    deadline = time.monotonic() + 60
    while kills < 5 and time.monotonic() < deadline:
        worker = site.start_worker()
        done = _tasks(site).get("SUCCESSFUL", 0)
        # Kill it mid-queue: once it has sent a few, while it holds a task.
        while time.monotonic() < deadline and _tasks(site).get("SUCCESSFUL", 0) < done + 25:
            await asyncio.sleep(0.1)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        kills += 1
    # Every task claimed before this moment was claimed by a worker now dead.
    (killed_at,) = rows(site, "SELECT now()")[0]
    site.start_worker()
    last_kill = time.monotonic()
    # A task a killed worker held runs again once the worker's last heartbeat is
    # WORKER_LOST_AFTER old, noticed at the next heartbeat of a live worker.
    lost_bound = settings["WORKER_LOST_AFTER"] + settings["WORKER_HEARTBEAT"] + LOST_MARGIN
    # Wait while the queue moves and while a held task may still be handed back. Past the
    # run's budget for this scenario, what is unsent is reported as it stands.
    deadline = run.deadline - 150
    tasks, held, done, moved_at = _tasks(site), _held(site, killed_at), 0, time.monotonic()
    while time.monotonic() < deadline and (
        # The queue moves, or the live worker is still busy with what it claimed.
        (
            tasks.get("READY", 0) + tasks.get("RUNNING", 0) - held
            and time.monotonic() - moved_at < 60
        )
        or (held and time.monotonic() - last_kill < lost_bound)
    ):
        await asyncio.sleep(1)
        tasks, held = _tasks(site), _held(site, killed_at)
        if tasks.get("SUCCESSFUL", 0) != done:
            done, moved_at = tasks.get("SUCCESSFUL", 0), time.monotonic()
    received = _sent(site.mail_dir, "mail")
    never = expected - set(received)
    twice = [address for address, count in received.items() if count > 1]
    run.report(
        "worker-kill",
        len(expected) == 2000 and not never and not twice and not held,
        f"{len(expected)} confirmations queued (answers {statuses(replies)}), db_worker "
        f"SIGKILLed {kills}× mid-queue and restarted each time; after "
        f"{time.monotonic() - last_kill:.0f} s: {len(expected) - len(never)} sent, "
        f"{len(never)} never sent, {len(twice)} sent twice or more; tasks {tasks} "
        f"(READY: not reached in time), {held} still held by a killed worker; bound "
        f"{lost_bound} s after the last kill (WORKER_LOST_AFTER {settings['WORKER_LOST_AFTER']}"
        f" s + WORKER_HEARTBEAT {settings['WORKER_HEARTBEAT']} s + {LOST_MARGIN} s)",
    )


def _held(site, killed_at):
    """Tasks still RUNNING under a claim made before the last kill: held by a dead worker."""
    return rows(
        site,
        "SELECT count(*) FROM django_tasks_database_dbtaskresult"
        " WHERE status = 'RUNNING' AND started_at < %s",
        killed_at,
    )[0][0]


def _rss_kib(pid):
    total = 0
    for process in [pid, *children(pid)]:
        try:
            status = Path(f"/proc/{process}/status").read_text()
        except OSError:
            continue
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        total += int(match.group(1)) if match else 0
    return total


async def overload(run, site):
    # The sustainable rate: what 8 signers one after another get through.
    started = time.monotonic()
    load, acknowledged, _ = run.load("calibrate", 6, signers=8)
    await load
    sustainable = len(acknowledged) / (time.monotonic() - started)
    rate = 3 * sustainable
    rss_before = _rss_kib(site.web.pid)
    rss_peak = rss_before
    acknowledged, requests = [], []

    async def one(person):
        reply = await run.sign(person, timeout=30)
        if reply.status == SIGNED:
            acknowledged.append(person.name)
        return reply

    started = time.monotonic()
    sampled = started
    for number in range(int(rate * 30)):
        due = started + number / rate
        if due > time.monotonic():
            await asyncio.sleep(due - time.monotonic())
        requests.append(asyncio.create_task(one(run.person("burst"))))
        if time.monotonic() - sampled > 1:
            rss_peak, sampled = max(rss_peak, _rss_kib(site.web.pid)), time.monotonic()
    offered = len(requests) / (time.monotonic() - started)
    # The first visitor after the burst, while the burst's last requests are still out: it
    # queues behind them, so it may be shed too, but answered within the bound. A second
    # visitor a bound later finds the queue the burst left gone (without shedding, workers
    # went on serving requests whose clients had given up: 13 s).
    first = asyncio.create_task(run.http("GET", f"/ru/petitions/{SLUG}/", timeout=30))
    await asyncio.sleep(SHED_WITHIN)
    # An address of its own: rendered, not the copy the page cache may keep.
    settled = asyncio.create_task(
        run.http("GET", f"/ru/petitions/{SLUG}/?after-burst=1", timeout=30)
    )
    for _ in range(40):
        if all(request.done() for request in requests):
            break
        rss_peak = max(rss_peak, _rss_kib(site.web.pid))
        await asyncio.sleep(1)
    replies = [await request for request in requests]
    first, settled = await first, await settled
    served = [r.seconds for r in replies if r.status == SIGNED]
    shed = [r for r in replies if r.status in SHED]
    other = [r for r in replies if r.status != SIGNED and r.status not in SHED]
    lost = missing(site, acknowledged)
    p99 = percentile(served, 0.99)
    shed_slow = [r for r in shed if r.seconds > SHED_WITHIN]
    bounded = rss_peak <= 1.5 * rss_before
    run.report(
        "overload",
        p99 < SHED_WITHIN
        and not shed_slow
        and not other
        and not lost
        and bounded
        and first.status in {200, *SHED}
        and first.seconds < SHED_WITHIN
        and settled.status == 200
        and settled.seconds < SHED_WITHIN,
        f"sustainable {sustainable:.0f} signs/s, offered {offered:.0f}/s for 30 s "
        f"({len(replies)} requests): {len(served)} signed, p50 "
        f"{percentile(served, 0.5):.2f} s, p99 {p99:.2f} s; {len(shed)} shed (503/429), "
        f"{len(shed_slow)} of them after {SHED_WITHIN} s; other {statuses(other) or 'none'}; "
        f"{len(lost)} acknowledged missing; gunicorn RSS {rss_before // 1024} → peak "
        f"{rss_peak // 1024} MiB (bound 1.5×); first request after: {first.status or first.error} "
        f"in {first.seconds:.2f} s; {SHED_WITHIN} s later: {settled.status or settled.error} "
        f"in {settled.seconds:.2f} s",
    )


_LINK = re.compile(r"https?://[^/\s]+(/[a-z]{2}/[\w/-]*/([\w.:-]{20,})/)")


def _mail_texts(mail_dir):
    """The decoded text of every message the file backend wrote."""
    for path in sorted(mail_dir.iterdir()):
        for raw in path.read_text(errors="replace").split("\n" + "-" * 79 + "\n"):
            if raw.strip():
                for part in email.message_from_string(raw).walk():
                    if part.get_content_type() == "text/plain":
                        yield part.get_payload(decode=True).decode(errors="replace")


async def touch_every_link(run, site):
    """What signers and strangers do that puts paths, forms and addresses in front of the
    loggers: follow confirm and withdraw links (GET and POST), an unknown stop-replies
    token, an oversized request line, a too-long admin username."""
    links = []
    for text in _mail_texts(site.mail_dir):
        for match in _LINK.finditer(text):
            run.tokens.add(match.group(2))
            links.append(match.group(1))
    person = run.person("links")
    for link in [*links[:4], *[link for link in links if "withdraw" in link][:2]]:
        await run.http("GET", link, headers=(f"X-Forwarded-For: {person.ip}",))
        await run.post(link, {}, person.ip)
    # A stranger tries a token-shaped value on the stop-replies link.
    token = ".eJwrSsxLT9UrLs1PSk0BACxTBVg:1vQ0uZ:resilience-run-token-0123456789abcdef"
    run.tokens.add(token)
    await run.http(
        "GET", f"/ru/comments/stop-replies/{token}/", headers=(f"X-Forwarded-For: {person.ip}",)
    )
    await run.http("GET", "/ru/" + "x" * 9000, headers=(f"X-Forwarded-For: {person.ip}",))
    await run.post(
        "/admin/login/?next=/admin/",
        {"username": person.email + "x" * 256, "password": "wrong"},
        person.ip,
    )


_FOUND = {
    "email": re.compile(r"[\w.+-]+(@|%40|\\u0040)[\w-]+(\.[\w-]+)+"),
    "name": re.compile(f"{SURNAME}|{re.escape(SURNAME.encode('unicode_escape').decode())}"),
    # Any address but the loopback this run talks from, and any client address at all
    # (gunicorn's own "ip=[ip]", already scrubbed, is none).
    "client ip": re.compile(
        r"\b(?!127\.0\.0\.1\b)(?!0\.0\.0\.0\b)\d{1,3}(\.\d{1,3}){3}\b|\bip=(?!\[ip\])\S+"
    ),
}
# Django's signed values: payload:timestamp:signature.
_TOKEN_SHAPED = re.compile(r"[.\w-]+:[\w-]{4,}:[\w-]{20,}")


async def log_scan(run, site):
    await touch_every_link(run, site)
    await asyncio.sleep(2)  # the access log is written after the response
    hits = Counter()
    examples = {}
    for path in sorted(LOGS.glob("*.log")):
        for line in path.read_text(errors="replace").splitlines():
            kinds = [kind for kind, pattern in _FOUND.items() if pattern.search(line)]
            if any(token in run.tokens for token in _TOKEN_SHAPED.findall(line)):
                kinds.append("link token")
            for kind in kinds:
                hits[kind, path.name] += 1
                examples.setdefault((kind, path.name), line[:160])
    figures = ", ".join(f"{kind} in {name}: {count}" for (kind, name), count in hits.items())
    run.report(
        "log-scan",
        not hits,
        f"{len(list(LOGS.glob('*.log')))} logs, {run.people} people and "
        f"{len(run.tokens)} link tokens looked for; hits: {figures or '0'}",
    )
    for (kind, name), line in examples.items():
        print(f"     first {kind} in {name}: {line}")


def site_settings(site):
    """The site's settings the run reports and takes its bounds from, as its web processes
    read them (its environment over its defaults), gunicorn's worker timeout included.

    Read outside manage.py, which gives commands their own statement timeout."""
    code = (
        "import django, json, runpy; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; "
        "print(json.dumps({"
        "**{k: d.get(k) for k in ('CONN_MAX_AGE', 'CONN_HEALTH_CHECKS', 'OPTIONS')}, "
        "**{k: getattr(s, k) for k in ('REQUEST_QUEUE_TIMEOUT', 'WORKER_HEARTBEAT', "
        "'WORKER_LOST_AFTER', 'CAPTCHA')}, "
        "'gunicorn_timeout': runpy.run_path('gunicorn.conf.py')['timeout']}))"
    )
    result = subprocess.run(
        [PYTHON, "-c", code],
        cwd=ROOT,
        env={**site.env, "DJANGO_SETTINGS_MODULE": "petition_site.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


async def scenarios(run, site, cluster, settings, names):
    every = {
        "duplicates": lambda: duplicates(run, site),
        "pg-kill": lambda: pg_kill(run, site, cluster),
        "pg-freeze": lambda: pg_freeze(run, site, cluster, settings),
        "web-kill": lambda: web_kill(run, site),
        "worker-kill": lambda: worker_kill(run, site, settings),
        "overload": lambda: overload(run, site),
        "log-scan": lambda: log_scan(run, site),
    }
    for name in names or every:
        await every[name]()


def main():
    started = time.monotonic()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    # An overload opens thousands of connections at once.
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))

    def too_long(signum, frame):
        raise RunTooLong(f"stopped after {RUN_LIMIT} s")

    signal.signal(signal.SIGALRM, too_long)
    signal.alarm(RUN_LIMIT)
    for old in LOGS.glob("*.log"):
        old.unlink()
    LOGS.mkdir(parents=True, exist_ok=True)
    run = None
    try:
        with (
            stopped_by_sigterm(),
            private_cluster(OUT / "postgres", LOGS / "postgres.log") as cluster,
            running_site(
                workdir=OUT / "site",
                log_dir=LOGS,
                server=cluster.server,
                database_name="petition_resilience",
                # As behind a reverse proxy: each signer's address in X-Forwarded-For.
                TRUSTED_PROXY_COUNT=1,
                # The signers here are scripts that post the form without solving ALTCHA's
                # proof of work; unsolved, each address would be held to the stricter limit.
                CAPTCHA="off",
            ) as site,
        ):
            run = Run(site.port, started + RUN_LIMIT)
            workers = len(children(site.web.pid))
            settings = site_settings(site)
            print(
                f"site: {site.url}, gunicorn with {workers} workers and a db_worker on a "
                f"private PostgreSQL at {cluster.server} ({os.cpu_count()} cores, shared); "
                f"settings: {settings}",
                flush=True,
            )
            asyncio.run(scenarios(run, site, cluster, settings, sys.argv[1:]))
            # The time limit is the scenarios': stopping is never cut short.
            signal.alarm(0)
    except RunTooLong as error:
        print(f"FAIL run: {error}", flush=True)
        return 1
    finally:
        signal.alarm(0)
        for stale in (OUT / "site" / "mail").glob("*"):
            stale.unlink()
    failed = [name for name, passed in run.results if not passed]
    print(
        f"{len(run.results) - len(failed)} of {len(run.results)} scenarios passed in "
        f"{time.monotonic() - started:.0f} s; failed: {', '.join(failed) or 'none'}; "
        f"logs in var/resilience/logs/"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
