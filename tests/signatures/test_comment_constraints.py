"""The database itself refuses comments and moderation settings that break the rules."""

import pytest
from django.db import IntegrityError, transaction

from signatures.models import Comment, ModerationSettings
from tests.factories import make_comment


def _refused(update, petition):
    comment = make_comment(petition)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(**update)


@pytest.mark.parametrize(
    "update",
    [
        {"status": "deleted"},
        {"text": ""},
        {"text": "x" * 2001},
        {"author_name": ""},
        {"notify_replies": True, "email_encrypted": ""},
        {"status": "approved", "moderated_at": None},
        {"status": "spam", "moderated_at": None},
    ],
    ids=[
        "unknown state",
        "empty text",
        "text over 2000 characters",
        "no name",
        "notification without email",
        "approved without a date",
        "spam without a date",
    ],
)
def test_the_database_refuses_a_bad_comment(petition, update):
    _refused(update, petition)


def test_the_longest_allowed_comment_and_a_nameless_organizer_reply_are_accepted(petition):
    make_comment(petition, text="x" * 2000)
    make_comment(petition, is_organizer=True, author_name="")

    assert Comment.objects.count() == 2


def test_a_pending_comment_needs_no_moderation_date(petition):
    assert make_comment(petition, status="pending").moderated_at is None


def test_there_is_only_ever_one_row_of_moderation_settings(db):
    assert ModerationSettings.load().pk == 1

    with pytest.raises(IntegrityError), transaction.atomic():
        ModerationSettings.objects.create(pk=2)
