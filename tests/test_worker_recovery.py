"""Tasks survive their worker: a lost task runs again, and a signature's email goes out once."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.management import get_commands
from django.db import connection
from django_tasks_db.models import DBTaskResult

from ops.production import run_database_url
from signatures.models import ReplyNotification, Signature
from signatures.tasks import send_reply_notification, send_signature_email
from tests.factories import make_comment, make_petition, sign_data
from worker import recovery


def _sign(client, petition, email="aigul@example.org"):
    client.post(f"/ru/petitions/{petition.slug}/sign/", sign_data(email=email))
    return Signature.objects.get(petition=petition)


def test_manage_py_db_worker_is_the_worker_that_recovers():
    assert get_commands()["db_worker"] == "worker"


def test_a_task_left_running_by_a_dead_worker_runs_again_and_emails_once(
    client, petition, run_tasks, mailoutbox
):
    _sign(client, petition)
    DBTaskResult.objects.get().claim("a-worker-that-died")

    assert recovery.requeue_lost() == [DBTaskResult.objects.get().pk]
    run_tasks()

    assert len(mailoutbox) == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_live_worker_keeps_its_task(client, petition):
    _sign(client, petition)
    recovery.beat("a-live-worker")
    DBTaskResult.objects.get().claim("a-live-worker")

    assert recovery.requeue_lost() == []
    assert DBTaskResult.objects.get().status == "RUNNING"


def test_a_worker_silent_past_the_bound_counts_as_dead(client, petition, settings):
    _sign(client, petition)
    recovery.beat("a-worker-that-froze")
    DBTaskResult.objects.get().claim("a-worker-that-froze")
    settings.WORKER_LOST_AFTER = -1

    assert len(recovery.requeue_lost()) == 1
    assert DBTaskResult.objects.get().status == "READY"


def test_a_task_that_runs_twice_sends_its_email_once(client, petition, run_tasks, mailoutbox):
    signature = _sign(client, petition)
    run_tasks()
    # The worker died after sending, before marking the task done: it runs again.
    DBTaskResult.objects.get().claim("a-worker-that-died")
    recovery.requeue_lost()
    run_tasks()
    send_signature_email.call(signature.pk)

    assert len(mailoutbox) == 1
    signature.refresh_from_db()
    assert (signature.emails_sent, signature.emails_delivered) == (1, 1)


def test_each_email_queued_is_sent_once_however_often_its_tasks_run(
    client, petition, run_tasks, mailoutbox
):
    signature = _sign(client, petition)
    _sign(client, petition)  # signing again queues a second email

    for _ in range(3):
        send_signature_email.call(signature.pk)

    assert len(mailoutbox) == 2
    signature.refresh_from_db()
    assert (signature.emails_sent, signature.emails_delivered) == (2, 2)


def test_a_failed_send_records_nothing(client, petition, run_tasks, mailoutbox, mail_server_down):
    signature = _sign(client, petition)

    run_tasks()

    signature.refresh_from_db()
    assert signature.emails_delivered == 0


def test_a_task_whose_workers_keep_dying_is_given_up(client, petition, run_tasks, mailoutbox):
    _sign(client, petition)
    result = DBTaskResult.objects.get()
    result.worker_ids = [f"worker-{number}" for number in range(recovery.MAX_CLAIMS - 1)]
    result.claim("the-last-one")

    assert recovery.requeue_lost() == []
    result.refresh_from_db()
    assert result.status == "FAILED"
    assert "stopped 5 times" in result.traceback


# The real worker process, killed and cut off.


def _environment(**extra):
    return {
        **os.environ,
        "DATABASE_URL": run_database_url(),
        "WORKER_HEARTBEAT": "1",
        "WORKER_LOST_AFTER": "3",
        **extra,
    }


def _start_worker(**extra):
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
        cwd=settings.BASE_DIR,
        env=_environment(**extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait_for(condition, what, timeout=40):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


@contextlib.contextmanager
def _worker_stuck_sending(client, petition):
    """A worker that claimed a signature's email task and hangs mid-send, killed at the end.

    Its mail server takes the connection and never answers (the worker would give up after
    the SMTP timeout, 20 s; it is killed long before).
    """
    with socket.create_server(("127.0.0.1", 0)) as silent_server:
        silent_port = silent_server.getsockname()[1]
        worker = _start_worker(EMAIL_URL=f"smtp://127.0.0.1:{silent_port}")
        try:
            signature = _sign(client, petition)
            _wait_for(lambda: DBTaskResult.objects.filter(status="RUNNING").exists(), "a claim")
            yield signature
        finally:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_a_worker_busy_longer_than_the_bound_keeps_its_task(client):
    with _worker_stuck_sending(client, make_petition(slug="busy")):
        time.sleep(5)  # past WORKER_LOST_AFTER (3 s): only the heartbeat says it is alive

        assert recovery.requeue_lost() == []
        assert DBTaskResult.objects.get().status == "RUNNING"


@pytest.mark.django_db(transaction=True)
def test_the_email_of_a_killed_worker_is_sent_once_by_the_next(client, tmp_path):
    with _worker_stuck_sending(client, make_petition(slug="killed")) as signature:
        pass

    second = _start_worker(EMAIL_URL=f"filemail:///{tmp_path}")
    try:
        _wait_for(lambda: DBTaskResult.objects.get().status == "SUCCESSFUL", "the task to run")
    finally:
        _stop(second)

    assert len(list(tmp_path.iterdir())) == 1
    signature.refresh_from_db()
    assert (signature.emails_sent, signature.emails_delivered) == (1, 1)
    assert len(DBTaskResult.objects.get().worker_ids) == 2


@pytest.mark.django_db(transaction=True)
def test_the_worker_carries_on_after_its_database_connections_are_cut(client, tmp_path):
    from worker.models import Heartbeat

    petition = make_petition(slug="cut")
    worker = _start_worker(EMAIL_URL=f"filemail:///{tmp_path}")
    try:
        _wait_for(Heartbeat.objects.exists, "the first heartbeat")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            assert cursor.fetchall(), "the worker's connections should have been cut"
        _sign(client, petition)
        _wait_for(lambda: any(tmp_path.iterdir()), "the email")
        assert worker.poll() is None
    finally:
        _stop(worker)

    assert len(list(tmp_path.iterdir())) == 1


def test_a_reply_notification_whose_task_runs_twice_is_sent_once(petition, mailoutbox):
    thread = make_comment(petition, email="aigul@example.org", notify_replies=True)
    reply = make_comment(petition, parent=thread, text="A reply")

    for _ in range(2):
        send_reply_notification.call(reply.pk, thread.pk)

    assert len(mailoutbox) == 1
    assert ReplyNotification.objects.filter(reply=reply, subscriber=thread).count() == 1


def test_a_reply_notification_that_failed_is_sent_by_its_retry(
    petition, run_tasks, mailoutbox, mail_server_down
):
    thread = make_comment(petition, email="aigul@example.org", notify_replies=True)
    reply = make_comment(petition, parent=thread, text="A reply")

    send_reply_notification.call(reply.pk, thread.pk)
    assert not ReplyNotification.objects.exists()
    mail_server_down()  # restores the working mail server
    send_reply_notification.call(reply.pk, thread.pk, 1)

    assert len(mailoutbox) == 1
