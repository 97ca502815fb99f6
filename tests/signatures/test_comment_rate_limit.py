"""The hourly limit per address and the flood guard: a clear 429, and nothing stored."""

import pytest
from django.test import Client
from django.utils import timezone

from signatures.models import Comment
from tests.concurrency import at_once
from tests.factories import comment_data, make_petition


@pytest.fixture(autouse=True)
def _low_limit(settings):
    settings.COMMENT_RATE_LIMIT = 3


def _post(client, petition, language="en", address="203.0.113.9", **data):
    return client.post(
        f"/{language}/petitions/{petition.slug}/comment/",
        comment_data(**data),
        REMOTE_ADDR=address,
    )


def _age(seconds):
    """Make every stored comment `seconds` older, as if time had passed."""
    for comment in Comment.objects.all():
        comment.created_at -= timezone.timedelta(seconds=seconds)
        comment.save(update_fields=["created_at"])


def test_beyond_the_hourly_limit_an_address_gets_a_429_and_nothing_is_stored(client, petition):
    for number in range(3):
        assert _post(client, petition, text=f"comment {number}").status_code == 302
        _age(20)

    response = _post(client, petition, text="one too many")

    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    html = response.content.decode()
    assert "Too many comments came from your connection in the last hour." in html
    assert "one too many</textarea>" in html
    assert Comment.objects.count() == 3


def test_the_limit_is_translated(client, petition):
    for number in range(3):
        _post(client, petition, text=f"comment {number}")
        _age(20)

    response = _post(client, petition, language="ru")

    assert response.status_code == 429
    assert "С вашего подключения за последний час пришло слишком много комментариев." in (
        response.content.decode()
    )


def test_the_limit_only_looks_back_an_hour(client, petition):
    for number in range(3):
        _post(client, petition, text=f"comment {number}")
        _age(20)
    _age(3600)

    assert _post(client, petition).status_code == 302


def test_other_addresses_are_not_limited(client, petition):
    for number in range(5):
        response = _post(client, petition, address=f"203.0.113.{number}")
        assert response.status_code == 302

    assert Comment.objects.count() == 5


def test_the_limit_counts_across_petitions(client, petition):
    other = make_petition()
    for number in range(3):
        _post(client, petition if number % 2 else other, text=f"comment {number}")
        _age(20)

    assert _post(client, petition).status_code == 429


def test_a_second_comment_within_fifteen_seconds_is_refused(client, petition):
    assert _post(client, petition).status_code == 302

    response = _post(client, petition, text="again")

    assert response.status_code == 429
    assert response["Retry-After"] == "15"
    assert "You can post one comment every 15 seconds." in response.content.decode()
    assert Comment.objects.count() == 1


def test_after_fifteen_seconds_the_same_person_may_comment_again(client, petition):
    _post(client, petition)
    _age(16)

    assert _post(client, petition, text="again").status_code == 302


def test_the_flood_guard_follows_an_email_across_addresses(client, petition):
    _post(client, petition, email="Aigul@example.org", address="203.0.113.1")

    response = _post(client, petition, email="aigul@example.org", address="198.51.100.7")

    assert response.status_code == 429
    assert Comment.objects.count() == 1


def test_with_an_email_people_sharing_an_address_are_not_one_person(client, petition):
    _post(client, petition, email="aigul@example.org")

    response = _post(client, petition, email="bakyt@example.org")

    assert response.status_code == 302


def test_the_flood_guard_is_translated(client, petition):
    _post(client, petition)

    response = _post(client, petition, language="ru")

    assert "Комментарий можно отправлять раз в 15 секунд." in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_comments_from_one_address_store_exactly_one():
    petition = make_petition(slug="comment-race")

    def comment(index):
        response = Client().post(
            f"/en/petitions/{petition.slug}/comment/",
            comment_data(text=f"at once {index}"),
            REMOTE_ADDR="203.0.113.50",
        )
        return response.status_code

    statuses = at_once(6, comment)

    assert sorted(statuses) == [302] + [429] * 5
    assert Comment.objects.count() == 1
