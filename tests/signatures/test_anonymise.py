"""After a petition ends, signers' personal data is erased and every count stays."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from signatures import statistics
from signatures.anonymise import anonymise_due, due_petitions
from signatures.counting import public_count
from signatures.models import Signature
from signatures.tasks import schedule_anonymisation
from tests.factories import make_petition, make_signature


@pytest.fixture
def ended_long_ago(db, settings):
    settings.ANONYMISE_AFTER_DAYS = 30
    petition = make_petition(status="closed")
    petition.close()
    petition.__class__.objects.filter(pk=petition.pk).update(
        closed_at=timezone.now() - timedelta(days=31)
    )
    for number, (status, region) in enumerate(
        [("confirmed", "osh"), ("confirmed", "osh"), ("confirmed", "talas"), ("pending", "osh")]
    ):
        make_signature(
            petition,
            email=f"p{number}@example.org",
            name=f"Person {number}",
            status=status,
            region=region,
            ip_hash="d" * 64,
            email_domain="example.org",
            show_name=True,
        )
    return petition


def test_counts_and_regional_totals_do_not_change(ended_long_ago):
    before = (public_count(ended_long_ago), statistics.summary(ended_long_ago)["by_region"])

    call_command("anonymise_signatures", verbosity=0)

    from django.core.cache import cache

    cache.clear()
    after = (public_count(ended_long_ago), statistics.summary(ended_long_ago)["by_region"])
    with translation.override("en"):
        assert after == before == (3, [("Osh Region", 2), ("Talas Region", 1)])


def test_names_emails_and_hashes_are_erased(ended_long_ago):
    anonymise_due()

    for signature in Signature.objects.all():
        assert (signature.name, signature.email, signature.email_hash) == ("", "", "")
        assert (signature.ip_hash, signature.email_domain, signature.show_name) == ("", "", False)
        assert signature.anonymised_at is not None


def test_petitions_not_yet_due_are_left_alone(ended_long_ago):
    recent = make_petition(status="closed")
    recent.close()
    still_open = make_petition(closes_at=None)
    make_signature(recent, email="recent@example.org", status="confirmed")
    make_signature(still_open, email="open@example.org", status="confirmed")

    assert list(due_petitions()) == [ended_long_ago]
    anonymise_due()

    assert Signature.objects.filter(anonymised_at__isnull=True).count() == 2


def test_a_closing_date_long_past_also_makes_a_petition_due(db, settings):
    settings.ANONYMISE_AFTER_DAYS = 30
    expired = make_petition(closes_at=timezone.now() - timedelta(days=40))

    assert list(due_petitions()) == [expired]


def test_the_daily_task_anonymises_and_schedules_its_next_run(ended_long_ago, run_tasks):
    assert schedule_anonymisation() is True
    assert schedule_anonymisation() is False  # one waiting run is enough

    run_tasks()

    assert Signature.objects.filter(anonymised_at__isnull=True).count() == 0
    next_run = DBTaskResult.objects.get(status="READY")
    assert next_run.run_after > timezone.now() + timedelta(hours=23)
