"""Beyond the per-IP limit, signatures are stored but flagged: never counted, never emailed."""

import pytest

from signatures.counting import public_count
from signatures.models import Signature
from tests.factories import sign_data


@pytest.fixture(autouse=True)
def _low_limit(settings):
    settings.SIGNATURE_RATE_LIMIT = 2


def _sign(client, petition, number, **headers):
    return client.post(
        f"/en/petitions/{petition.slug}/sign/",
        sign_data(email=f"person{number}@example.org"),
        **headers,
    )


def test_signatures_beyond_the_limit_are_stored_flagged(client, petition, run_tasks, mailoutbox):
    for number in range(4):
        response = _sign(client, petition, number, REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 302

    rows = list(Signature.objects.order_by("created_at").values_list("status", "emails_sent"))
    assert rows == [("pending", 1), ("pending", 1), ("flagged", 0), ("flagged", 0)]
    run_tasks()
    assert len(mailoutbox) == 2


def test_a_flagged_signature_is_not_counted_even_when_confirmed(client, petition):
    from signatures import signing

    for number in range(3):
        _sign(client, petition, number, REMOTE_ADDR="203.0.113.9")
    for signature in Signature.objects.all():
        signing.confirm(signature)

    assert public_count(petition) == 2
    flagged = Signature.objects.get(status="flagged")
    assert flagged.confirmed_at is not None


def test_other_addresses_are_not_limited(client, petition):
    for number in range(4):
        _sign(client, petition, number, REMOTE_ADDR=f"203.0.113.{number}")

    assert set(Signature.objects.values_list("status", flat=True)) == {"pending"}


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(client, petition):
    for number in range(3):
        _sign(
            client,
            petition,
            number,
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )

    assert Signature.objects.filter(status="flagged").count() == 1


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, petition, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(3):
        _sign(
            client,
            petition,
            number,
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"6.6.6.6, 198.51.100.{number}",
        )

    assert set(Signature.objects.values_list("status", flat=True)) == {"pending"}


def test_one_ipv6_household_is_one_address(client, petition):
    for number in range(3):
        _sign(client, petition, number, REMOTE_ADDR=f"2001:db8:1:2::{number + 1}")

    assert Signature.objects.filter(status="flagged").count() == 1


def test_the_limit_only_looks_back_one_window(client, petition, settings):
    from django.utils import timezone

    for number in range(2):
        _sign(client, petition, number, REMOTE_ADDR="203.0.113.9")
    Signature.objects.update(created_at=timezone.now() - timezone.timedelta(hours=2))

    _sign(client, petition, 9, REMOTE_ADDR="203.0.113.9")

    assert Signature.objects.latest("created_at").status == "pending"
