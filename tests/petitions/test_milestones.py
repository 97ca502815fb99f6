"""The progress bar measures toward the next milestone, then the goal; organizers set the
milestones per petition, and the database refuses a list that is not numbers."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from petitions.models import Petition
from tests.factories import make_petition


@pytest.mark.parametrize(
    ("count", "target"),
    [
        (0, 100),
        (99, 100),
        (100, 500),
        (499, 500),
        (500, 1000),
        (1000, 5000),
        (4999, 5000),
        (5000, 10000),
        (9999, 10000),
        (10000, 10000),
        (25000, 10000),
    ],
)
def test_without_milestones_the_bar_aims_at_100_500_1000_5000_then_the_goal(db, count, target):
    petition = make_petition(goal=10000)

    assert petition.progress(count).target == target


def test_the_organizers_milestones_replace_the_default_ones(db):
    petition = make_petition(goal=300, milestones="10, 50, 150")

    assert petition.milestone_steps == [10, 50, 150, 300]
    assert [petition.progress(n).target for n in (0, 9, 10, 49, 50, 149, 150, 299)] == [
        10, 10, 50, 50, 150, 150, 300, 300,
    ]  # fmt: skip


def test_a_default_milestone_at_or_above_a_small_goal_is_left_out(db):
    assert make_petition(goal=500).milestone_steps == [100, 500]
    assert make_petition(goal=50).milestone_steps == [50]


def test_a_milestone_above_a_lowered_goal_is_left_out_rather_than_aimed_at(db):
    petition = make_petition(goal=10000, milestones="100, 20000")

    assert petition.milestone_steps == [100, 10000]


@pytest.mark.parametrize(
    ("count", "reached", "bar_value"),
    [(0, False, 0), (9999, False, 9999), (10000, True, 10000), (12000, True, 10000)],
)
def test_the_goal_counts_as_reached_from_the_goal_on_and_the_bar_stops_full(
    db, count, reached, bar_value
):
    progress = make_petition(goal=10000).progress(count)

    assert progress.reached_goal is reached
    assert progress.bar_value == bar_value


@pytest.mark.parametrize(
    ("milestones", "code"),
    [
        ("100; 500", "format"),
        ("100, 5x0", "format"),
        ("0, 100", "positive"),
        ("500, 100", "ascending"),
        ("100, 100", "ascending"),
        ("100, 1000", "below_goal"),
        ("100, 2000", "below_goal"),
    ],
)
def test_a_bad_list_of_milestones_is_refused_with_a_reason(db, milestones, code):
    petition = make_petition(goal=1000, title_ru="Петиция")
    petition.milestones = milestones

    with pytest.raises(ValidationError) as refused:
        petition.full_clean()

    assert [error.code for error in refused.value.error_dict["milestones"]] == [code]


def test_a_good_list_is_written_out_plainly(db):
    petition = make_petition(goal=1000, title_ru="Петиция")
    petition.milestones = " 50,200 ,  600,"

    petition.full_clean()

    assert petition.milestones == "50, 200, 600"


def test_the_database_refuses_milestones_that_are_not_numbers_and_commas(db):
    petition = make_petition()

    with pytest.raises(IntegrityError), transaction.atomic():
        Petition.objects.filter(pk=petition.pk).update(milestones="100; five hundred")
