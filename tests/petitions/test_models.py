"""Rules about petitions that the database itself enforces."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from petitions.models import Petition
from tests.factories import make_petition


def test_the_database_refuses_a_goal_of_zero(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_petition(goal=0)


def test_the_database_refuses_a_second_featured_petition(db):
    make_petition(is_featured=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        make_petition(is_featured=True)


def test_the_home_page_shows_the_featured_petition_before_newer_ones(db):
    featured = make_petition(is_featured=True)
    make_petition()

    assert Petition.objects.featured() == featured


def test_without_a_featured_petition_the_newest_published_one_is_shown(db):
    make_petition()
    newest = make_petition()
    make_petition(status="draft")

    assert Petition.objects.featured() == newest


@pytest.mark.parametrize(
    ("status", "closes_in_hours", "is_open"),
    [
        ("open", None, True),
        ("open", 1, True),
        ("open", -1, False),
        ("closed", None, False),
        ("draft", None, False),
    ],
)
def test_a_petition_is_open_only_while_open_and_before_its_closing_date(
    db, status, closes_in_hours, is_open
):
    closes_at = None
    if closes_in_hours is not None:
        closes_at = timezone.now() + timezone.timedelta(hours=closes_in_hours)

    petition = make_petition(status=status, closes_at=closes_at)

    assert petition.is_open is is_open


def test_parts_come_in_the_order_of_their_position(db):
    petition = make_petition()
    petition.demands.create(position=2, text_en="second")
    petition.demands.create(position=1, text_en="first")

    assert [demand.text for demand in petition.demands.all()] == ["first", "second"]
