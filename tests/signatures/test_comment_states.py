"""State changes: named functions that record who decided and when, and never delete."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from signatures import moderation
from signatures.models import Comment
from tests.factories import make_comment


@pytest.fixture
def moderator(db):
    return get_user_model().objects.create_user("moderator", password="a-long-password-1")


CHANGES = [
    (moderation.approve, Comment.Status.APPROVED),
    (moderation.mark_spam, Comment.Status.SPAM),
    (moderation.remove, Comment.Status.REMOVED),
]


@pytest.mark.parametrize(("change", "status"), CHANGES)
@pytest.mark.parametrize("start", ["pending", "approved", "spam", "removed"])
def test_every_state_can_become_every_other_and_the_change_is_recorded(
    petition, moderator, change, status, start
):
    comment = make_comment(petition, status=start)

    changed = change(Comment.objects.filter(pk=comment.pk), moderator)

    comment.refresh_from_db()
    assert comment.status == status
    if start == status:
        assert changed == 0
        assert comment.moderated_by is None
    else:
        assert changed == 1
        assert comment.moderated_by == moderator
        assert comment.moderated_at is not None


@pytest.mark.parametrize(("change", "status"), CHANGES)
def test_changes_apply_to_many_comments_at_once_and_delete_nothing(
    petition, moderator, change, status
):
    comments = [make_comment(petition, status="pending") for _ in range(3)]

    assert change(Comment.objects.filter(pk__in=[c.pk for c in comments]), moderator) == 3
    assert list(Comment.objects.values_list("status", flat=True)) == [status] * 3


def test_a_removed_comment_leaves_the_page_and_an_approved_one_returns(client, petition):
    comment = make_comment(petition, text="Now you see me")
    url = f"/en/petitions/{petition.slug}/"

    moderation.remove(Comment.objects.filter(pk=comment.pk))
    assert "Now you see me" not in client.get(url).content.decode()

    moderation.approve(Comment.objects.filter(pk=comment.pk))
    cache.clear()  # the page is kept 5 seconds (tests/petitions/test_public_page.py)
    assert "Now you see me" in client.get(url).content.decode()


def test_an_organizer_reply_is_published_at_once_in_the_thread(petition, moderator):
    thread = make_comment(petition, text="question")
    answer = make_comment(petition, text="answer", parent=thread)

    reply = moderation.reply_as_organizer(answer, "We agree.", moderator)

    assert reply.parent == thread
    assert reply.status == Comment.Status.APPROVED
    assert reply.is_organizer is True
    assert reply.author_name == ""
    assert reply.moderated_by == moderator
    assert reply.petition == petition


def test_replying_to_a_pending_comment_approves_it_first(petition, moderator):
    pending = make_comment(petition, status="pending")

    moderation.reply_as_organizer(pending, "Welcome!", moderator)

    pending.refresh_from_db()
    assert pending.status == Comment.Status.APPROVED
    assert pending.moderated_by == moderator


@pytest.mark.parametrize("status", ["spam", "removed"])
def test_nobody_replies_in_a_thread_that_is_spam_or_removed(petition, moderator, status):
    hidden = make_comment(petition, status=status)
    reply_in_hidden_thread = make_comment(petition, parent=hidden)

    for comment in (hidden, reply_in_hidden_thread):
        with pytest.raises(moderation.ThreadClosed):
            moderation.reply_as_organizer(comment, "Hello", moderator)
    assert Comment.objects.count() == 2
