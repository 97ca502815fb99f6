"""Every figure comes from a small counts table that stays exact through each change of a
signature, is folded in batches without a shared counter row, and can be rebuilt."""

import threading
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from signatures import counting, signing, statistics
from signatures.anonymise import anonymise
from signatures.counting import fold, public_count, region_counts, signature_day, totals
from signatures.models import Signature, SignatureCount, SignatureCountChange
from tests.factories import make_petition, make_signature, sign_data


def _from_scratch(petition, by):
    return dict(
        Signature.objects.filter(petition=petition)
        .annotate(day=signature_day())
        .values_list(by)
        .annotate(Count("pk"))
        .order_by()
    )


def _buckets():
    return {
        (row.petition_id, row.status, row.region, row.language, row.day): row.signatures
        for row in SignatureCount.objects.all()
        if row.signatures
    }


def _assert_exact(petition):
    for by in ("status", "region", "language", "day"):
        assert totals(by, petition=petition) == _from_scratch(petition, by), by
    cache.clear()
    counted = Signature.objects.counted().filter(petition=petition)
    assert public_count(petition) == counted.count()
    assert region_counts(petition) == dict(
        counted.values_list("region").annotate(Count("pk")).order_by()
    )


def _sign(petition, email, region="bishkek", ip_hash=None):
    return signing.sign(
        petition,
        sign_data(email=email, region=region, show_name=False, wants_updates=False),
        ip_hash=ip_hash or email,
        language="ru",
    )


def _one(signature):
    return Signature.objects.filter(pk=signature.pk)


@pytest.mark.parametrize("folding", [False, True], ids=["before a fold", "after each fold"])
def test_the_figures_stay_exact_through_every_change_of_a_signature(petition, folding):
    def check():
        if folding:
            fold()
        _assert_exact(petition)

    first = _sign(petition, "a@example.org", region="osh")
    second = _sign(petition, "b@example.org")
    third = _sign(petition, "c@example.org", region="naryn")
    check()
    for signature in (first, second, third):
        signing.confirm(signature)
    check()
    signing.withdraw(second)
    check()
    signing.invalidate(_one(third), "Duplicate person")
    check()
    signing.restore(_one(third))
    check()
    petition.close()
    anonymise(petition)
    check()

    assert public_count(petition) == 2
    assert region_counts(petition) == {"osh": 1, "naryn": 1}


def test_a_flagged_signature_counts_only_once_restored(petition, settings):
    settings.SIGNATURE_RATE_LIMIT = 1
    _sign(petition, "first@example.org")
    flagged = _sign(petition, "second@example.org", ip_hash="first@example.org")
    assert flagged.status == Signature.Status.FLAGGED
    signing.confirm(flagged)
    _assert_exact(petition)

    signing.restore(_one(flagged))

    _assert_exact(petition)
    assert public_count(petition) == 1


def test_confirming_twice_or_withdrawing_twice_changes_nothing_more(petition):
    signature = _sign(petition, "a@example.org")
    signing.confirm(signature)
    signing.confirm(signature)
    signing.withdraw(signature)
    signing.withdraw(signature)

    _assert_exact(petition)
    assert SignatureCountChange.objects.filter(change__gt=1).count() == 0


def test_a_change_counts_the_moment_it_commits_before_any_fold(petition):
    signing.confirm(_sign(petition, "a@example.org"))

    assert SignatureCount.objects.count() == 0
    assert public_count(petition) == 1


def test_a_fold_empties_the_log_and_changes_no_figure(petition):
    for number in range(5):
        signing.confirm(_sign(petition, f"s{number}@example.org", region="talas"))
    before = statistics.summary(petition)

    assert fold() is True

    assert SignatureCountChange.objects.count() == 0
    assert statistics.summary(petition) == before


def test_a_commit_folds_at_most_once_in_a_few_seconds(petition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _sign(petition, "a@example.org")
    assert SignatureCountChange.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        _sign(petition, "b@example.org")
    assert SignatureCountChange.objects.count() == 1

    cache.delete("signatures:counts:folded")  # what FOLD_SECONDS later looks like
    with django_capture_on_commit_callbacks(execute=True):
        _sign(petition, "c@example.org")
    assert SignatureCountChange.objects.count() == 0
    assert totals("status", petition=petition) == {"pending": 3}


def test_the_public_figures_are_at_most_a_few_seconds_old(petition, settings):
    assert settings.PUBLIC_COUNT_CACHE_SECONDS <= 5
    signing.confirm(_sign(petition, "a@example.org"))

    # A confirmation drops the petition's cached figures at once.
    assert public_count(petition) == 1


def test_no_figure_reads_the_signatures_table(client, organizer_client, petition):
    signing.confirm(_sign(petition, "a@example.org"))
    table = f'"{Signature._meta.db_table}"'

    with CaptureQueriesContext(connection) as queries:
        public_count(petition)
        region_counts(petition)
        client.get(f"/en/petitions/{petition.slug}.json")
        client.get(f"/petitions/{petition.slug}/count.json")
        statistics.summary(petition)
        statistics.summary()

    assert queries.captured_queries
    assert not [query for query in queries.captured_queries if table in query["sql"]]


def test_the_statistics_page_shows_the_figures_from_the_table(organizer_client, petition):
    for number, region in enumerate(["osh", "osh", "talas"]):
        signing.confirm(_sign(petition, f"s{number}@example.org", region=region))
    _sign(petition, "pending@example.org")
    fold()

    html = organizer_client.get(
        "/admin/signatures/signature/statistics/", {"petition": petition.pk}
    ).content.decode()

    assert f"<title>{timezone.localdate().isoformat()}: 3</title>" in html
    assert "75 %" in html


def test_the_recount_command_equals_a_count_from_scratch(petition):
    other = make_petition()
    yesterday = timezone.now() - timedelta(days=1)
    make_signature(petition, email="a@example.org", status="confirmed", region="osh")
    make_signature(petition, email="b@example.org", status="confirmed", confirmed_at=yesterday)
    make_signature(petition, email="c@example.org", status="pending", language="ru")
    make_signature(other, email="d@example.org", status="invalidated")
    fold()
    expected = _buckets()
    # Counts gone wrong: a row changed by hand, a change logged twice.
    SignatureCount.objects.filter(status="confirmed").update(signatures=999)
    SignatureCountChange.objects.create(
        petition=petition, status="pending", region="osh", language="en", day=yesterday, change=1
    )

    call_command("recount_signatures", verbosity=0)

    assert _buckets() == expected
    assert SignatureCountChange.objects.count() == 0
    _assert_exact(petition)
    _assert_exact(other)


def _in_thread(work):
    """Run work() in a thread of its own (its own database connection); its result."""
    result = []

    def run():
        try:
            result.append(work())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0]


@pytest.mark.django_db(transaction=True)
def test_two_folds_at_once_count_each_change_once():
    petition = make_petition()
    for number in range(3):
        make_signature(petition, email=f"s{number}@example.org", status="confirmed")

    with transaction.atomic():
        assert fold() is True
        # The first fold has not committed yet: the second finds it at work, and skips.
        assert _in_thread(fold) is False

    assert _in_thread(fold) is True
    assert SignatureCount.objects.get().signatures == 3
    _assert_exact(petition)


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_during_a_fold_is_left_for_the_next():
    petition = make_petition()
    make_signature(petition, email="a@example.org", status="confirmed")

    with transaction.atomic():
        fold()
        _in_thread(lambda: make_signature(petition, email="b@example.org", status="confirmed"))

    assert SignatureCountChange.objects.count() == 1
    _assert_exact(petition)
    fold()
    assert SignatureCount.objects.get().signatures == 2


def test_a_failing_fold_never_fails_the_signer(
    client, petition, monkeypatch, django_capture_on_commit_callbacks
):
    def broken():
        raise DatabaseError("the counts table is locked")

    monkeypatch.setattr(counting, "fold", broken)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/petitions/{petition.slug}/sign/", sign_data())

    assert response.status_code == 302
    assert totals("status", petition=petition) == {"pending": 1}
