"""purge_comments deletes spam and removed comments after the audit period, nothing else."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from signatures.models import Comment
from tests.factories import make_comment


def _days_ago(days):
    return timezone.now() - timezone.timedelta(days=days)


def _purge(days):
    call_command("purge_comments", "--older-than", str(days), verbosity=0)


def test_it_deletes_only_spam_and_removed_comments_decided_long_enough_ago(petition):
    old = {
        status: make_comment(petition, status=status, moderated_at=_days_ago(40))
        for status in ("approved", "spam", "removed")
    }
    old_pending = make_comment(petition, status="pending", created_at=_days_ago(40))
    recent_spam = make_comment(petition, status="spam", moderated_at=_days_ago(5))

    _purge(30)

    remaining = set(Comment.objects.values_list("pk", flat=True))
    assert remaining == {old["approved"].pk, old_pending.pk, recent_spam.pk}


def test_the_period_counts_from_the_decision_not_from_posting(petition):
    make_comment(petition, status="removed", created_at=_days_ago(90), moderated_at=_days_ago(2))

    _purge(30)

    assert Comment.objects.count() == 1


def test_a_removed_comment_with_replies_that_stay_is_kept(petition):
    thread = make_comment(petition, status="removed", moderated_at=_days_ago(40))
    make_comment(petition, parent=thread)

    _purge(30)

    assert Comment.objects.count() == 2


def test_a_purged_thread_takes_its_purgeable_replies_with_it(petition):
    thread = make_comment(petition, status="spam", moderated_at=_days_ago(40))
    make_comment(petition, parent=thread, status="spam", moderated_at=_days_ago(40))
    kept = make_comment(petition)

    _purge(30)

    assert list(Comment.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_command_says_how_many_it_deleted(petition, capsys):
    make_comment(petition, status="spam", moderated_at=_days_ago(40))

    call_command("purge_comments", "--older-than", "30")

    assert "Deleted 1 spam or removed comments." in capsys.readouterr().out


def test_a_negative_period_is_refused(db):
    with pytest.raises(CommandError):
        call_command("purge_comments", "--older-than", "-1")
