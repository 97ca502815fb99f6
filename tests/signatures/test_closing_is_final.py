"""Closing is final at once: signing and confirming ask the database, not a cached petition.

Every test warms the caches first (the petition's 5-second cache, the public count), as the
busy pages of a live petition keep them warm, and closes the petition afterwards.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from petitions.models import Petition
from signatures import links
from signatures.counting import public_count
from signatures.models import Signature
from tests.factories import make_signature, sign_data


def _close(petition, how):
    """Close `petition` after the caches saw it open."""
    Petition.objects.published_cached(petition.slug)
    public_count(petition)
    if how == "closed by an organizer":
        petition.close()
    else:
        Petition.objects.filter(pk=petition.pk).update(
            closes_at=timezone.now() - timedelta(seconds=1)
        )
    # The cache still holds the open petition: what another worker would see for seconds.
    assert Petition.objects.published_cached(petition.slug).is_open


HOW = ["closed by an organizer", "past its closing date"]


@pytest.mark.parametrize("how", HOW)
def test_a_sign_post_after_closing_shows_the_closed_page_and_stores_nothing(client, petition, how):
    _close(petition, how)

    response = client.post(f"/en/petitions/{petition.slug}/sign/", sign_data(comment="Hi"))

    assert response.status_code == 403
    assert "This petition is closed" in response.content.decode()
    assert not Signature.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert not petition.comments.exists()


def test_signing_again_after_closing_sends_no_new_email(client, petition):
    make_signature(petition, email="aigul@example.org", emails_sent=1)
    _close(petition, "closed by an organizer")

    response = client.post(f"/en/petitions/{petition.slug}/sign/", sign_data())

    assert response.status_code == 403
    assert not DBTaskResult.objects.exists()
    assert Signature.objects.get().emails_sent == 1


@pytest.mark.parametrize("how", HOW)
def test_a_confirmation_after_closing_is_refused_and_not_counted(client, petition, how):
    make_signature(petition, email="counted@example.org", status=Signature.Status.CONFIRMED)
    signature = make_signature(petition)
    _close(petition, how)

    response = client.post(f"/ru/signatures/confirm/{links.CONFIRM.token(signature.pk)}/")

    assert response.status_code == 403
    html = response.content.decode()
    assert "Эта петиция закрыта" in html
    assert "не была подтверждена до закрытия петиции" in html
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING
    assert signature.confirmed_at is None
    assert public_count(petition) == 1
    assert Signature.objects.counted().count() == 1


def test_opening_a_confirmation_link_after_closing_shows_the_refusal_without_a_button(
    client, petition
):
    signature = make_signature(petition)
    _close(petition, "closed by an organizer")

    response = client.get(f"/en/signatures/confirm/{links.CONFIRM.token(signature.pk)}/")

    assert response.status_code == 403
    html = response.content.decode()
    assert "was not confirmed before the petition closed" in html
    assert "<form" not in html


def test_a_flagged_signature_records_no_confirmation_after_closing(client, petition):
    signature = make_signature(petition, status=Signature.Status.FLAGGED)
    _close(petition, "closed by an organizer")

    response = client.post(f"/en/signatures/confirm/{links.CONFIRM.token(signature.pk)}/")

    assert response.status_code == 403
    signature.refresh_from_db()
    assert signature.confirmed_at is None


def test_a_signature_confirmed_before_closing_still_shows_its_thanks(client, petition):
    signature = make_signature(petition, status=Signature.Status.CONFIRMED)
    _close(petition, "closed by an organizer")

    response = client.post(f"/en/signatures/confirm/{links.CONFIRM.token(signature.pk)}/")

    assert response.status_code == 200
    assert "Thank you for signing" in response.content.decode()
