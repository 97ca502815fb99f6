"""Emails leave through the background worker; a mail-server outage loses nothing."""

import email
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ops.production import run_database_url
from signatures.models import Signature
from tests.factories import make_petition, sign_data


@pytest.mark.django_db(transaction=True)
def test_the_real_db_worker_process_sends_the_queued_email(client, tmp_path):
    petition = make_petition(slug="worker")
    client.post(f"/ru/petitions/{petition.slug}/sign/", sign_data(email="worker@example.org"))

    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": run_database_url(),
            # django-environ drops one slash: four make an absolute path.
            "EMAIL_URL": f"filemail:///{tmp_path}",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert worker.returncode == 0, worker.stderr
    [sent_file] = tmp_path.iterdir()
    message = email.message_from_string(sent_file.read_text().split("\n---")[0])
    assert message["To"] == "worker@example.org"
    text = message.get_payload(0).get_payload(decode=True).decode()
    assert "Здравствуйте" in text
    assert "/ru/signatures/confirm/" in text
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_mail_server_outage_keeps_the_signature_and_retries_later(
    client, petition, run_tasks, mailoutbox, mail_server_down
):
    client.post(f"/en/petitions/{petition.slug}/sign/", sign_data())

    run_tasks()

    assert mailoutbox == []
    assert Signature.objects.get().status == Signature.Status.PENDING
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now()
    assert retry.args_kwargs["args"] == [Signature.objects.get().pk, 1]

    mail_server_down()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_tasks()

    assert len(mailoutbox) == 1
    assert Signature.objects.get().emails_sent == 1
