"""The signing statement (one INSERT ... ON CONFLICT with the rate limit and the open-petition
condition) behaves alike on PostgreSQL, which production and the tests use, and on SQLite,
which `make run` uses."""

from datetime import timedelta

import pytest
from django.utils import timezone

from petitions.models import Petition
from signatures.models import Signature

pytestmark = pytest.mark.django_db(databases=["default", "sqlite"])


@pytest.fixture(params=["default", "sqlite"], ids=["postgresql", "sqlite"])
def using(request):
    return request.param


@pytest.fixture
def petition(using):
    return Petition.objects.using(using).create(
        slug="statement", title_en="Statement", status=Petition.Status.OPEN
    )


def _insert(using, petition, email_hash, *, ip_hash="ip-1", limit=3, since=None, created_at=None):
    now = timezone.now()
    signature = Signature(
        petition=petition,
        email_hash=email_hash,
        name="Aigul Mamatova",
        region="bishkek",
        language="ru",
        ip_hash=ip_hash,
        created_at=created_at or now,
        emails_sent=1,
    )
    inserted = Signature.objects.db_manager(using).insert_unless_signed(
        signature,
        limit=limit,
        since=since or now - timedelta(hours=1),
        only_if=Petition.objects.accepting_signatures().filter(pk=petition.pk),
    )
    return inserted, signature


def _stored(using):
    return list(
        Signature.objects.using(using)
        .order_by("pk")
        .values_list("email_hash", "ip_hash", "status", "emails_sent")
    )


def test_a_new_email_is_inserted_pending_with_its_first_email_taken(using, petition):
    inserted, signature = _insert(using, petition, "hash-a")

    assert inserted is True
    assert Signature.objects.using(using).get(pk=signature.pk).email_hash == "hash-a"
    assert (signature.status, signature.emails_sent) == ("pending", 1)
    assert _stored(using) == [("hash-a", "ip-1", "pending", 1)]


def test_an_email_that_signed_inserts_nothing_and_its_signature_is_found(using, petition):
    _, first = _insert(using, petition, "hash-a")

    inserted, second = _insert(using, petition, "hash-a", ip_hash="ip-2")

    assert inserted is False
    assert second.pk is None
    assert Signature.objects.using(using).get(petition=petition, email_hash="hash-a") == first
    assert _stored(using) == [("hash-a", "ip-1", "pending", 1)]


def test_an_erased_signature_does_not_block_signing_again(using, petition):
    _insert(using, petition, "")

    inserted, _ = _insert(using, petition, "")

    assert inserted is True
    assert len(_stored(using)) == 2


def test_past_the_limit_an_address_signs_flagged_and_takes_no_email(using, petition):
    results = [_insert(using, petition, f"hash-{n}", limit=2)[0] for n in range(4)]

    assert results == [True, True, True, True]
    assert [row[2:] for row in _stored(using)] == [
        ("pending", 1),
        ("pending", 1),
        ("flagged", 0),
        ("flagged", 0),
    ]


def test_the_limit_counts_only_the_same_address_within_the_window(using, petition):
    now = timezone.now()
    since = now - timedelta(hours=1)
    _insert(using, petition, "old-1", created_at=since - timedelta(seconds=1), since=since)
    _insert(using, petition, "old-2", created_at=since - timedelta(seconds=1), since=since)
    _insert(using, petition, "other", ip_hash="ip-2", since=since)

    inserted, signature = _insert(using, petition, "new", limit=1, since=since)

    assert inserted is True
    assert signature.status == "pending"
    _, flagged = _insert(using, petition, "next", limit=1, since=since)
    assert flagged.status == "flagged"


@pytest.mark.parametrize(
    "closed",
    [{"status": Petition.Status.CLOSED}, {"closes_at": timezone.now() - timedelta(seconds=1)}],
    ids=["closed", "past-its-closing-time"],
)
def test_a_petition_that_stopped_accepting_signatures_gets_none(using, petition, closed):
    Petition.objects.using(using).filter(pk=petition.pk).update(**closed)

    inserted, signature = _insert(using, petition, "hash-a")

    assert inserted is False
    assert signature.pk is None
    assert _stored(using) == []
