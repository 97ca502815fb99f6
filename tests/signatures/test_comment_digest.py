"""Organizers get a digest of comments awaiting moderation: at most one an hour, none missed."""

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from signatures import moderation
from signatures.models import Comment, ModerationSettings
from signatures.tasks import send_moderation_digest
from tests.factories import comment_data

HOUR = timezone.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _digest_to_organizers(settings):
    settings.DIGEST_EMAILS = ["team@example.org", "moderator@example.org"]


def _comment(client, petition, text, number):
    response = client.post(
        f"/en/petitions/{petition.slug}/comment/",
        comment_data(text=text),
        REMOTE_ADDR=f"203.0.113.{number}",
    )
    assert response.status_code == 302


def _an_hour_passes():
    rules = ModerationSettings.load()
    rules.last_digest_at -= HOUR
    rules.save()
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def test_a_comment_awaiting_moderation_is_emailed_to_the_organizers(
    client, petition, run_tasks, mailoutbox
):
    _comment(client, petition, "Please publish me", 1)

    run_tasks()

    [digest] = mailoutbox
    assert digest.to == ["team@example.org", "moderator@example.org"]
    assert digest.subject == "1 комментарий ожидает проверки"
    comment = Comment.objects.get()
    assert "Please publish me" in digest.body
    assert f"https://petition.test/admin/signatures/comment/{comment.pk}/change/" in digest.body
    assert "https://petition.test/admin/signatures/comment/\n" in digest.body
    assert ModerationSettings.load().last_digest_at is not None


def test_no_digest_without_recipients(client, petition, run_tasks, mailoutbox, settings):
    settings.DIGEST_EMAILS = []

    _comment(client, petition, "Nobody is told", 1)
    run_tasks()

    assert mailoutbox == []
    assert DBTaskResult.objects.count() == 0


def test_comments_that_need_no_moderation_send_no_digest(client, petition, run_tasks, mailoutbox):
    ModerationSettings.objects.update_or_create(pk=1, defaults={"block_words": "casino"})

    _comment(client, petition, "casino", 1)
    run_tasks()

    assert mailoutbox == []


def test_at_most_one_digest_an_hour_and_the_next_brings_what_came_meanwhile(
    client, petition, run_tasks, mailoutbox
):
    _comment(client, petition, "first", 1)
    run_tasks()
    _comment(client, petition, "second", 2)
    _comment(client, petition, "third", 3)

    run_tasks()

    assert len(mailoutbox) == 1
    last = ModerationSettings.load().last_digest_at
    waiting = DBTaskResult.objects.filter(status="READY")
    assert waiting.exists()
    assert {task.run_after for task in waiting} == {last + HOUR}

    _an_hour_passes()
    run_tasks()

    assert len(mailoutbox) == 2
    later = mailoutbox[1]
    assert "second" in later.body
    assert "third" in later.body
    assert "first" not in later.body.split("\n\n", 1)[1]
    assert later.subject == "3 комментария ожидают проверки"


def test_the_task_itself_refuses_to_send_within_the_hour_and_comes_back(
    client, petition, run_tasks, mailoutbox
):
    ModerationSettings.objects.update_or_create(
        pk=1, defaults={"last_digest_at": timezone.now() - timezone.timedelta(minutes=20)}
    )
    Comment.objects.create(
        petition=petition, text="waiting", author_name="Aigul", language="en", status="pending"
    )

    send_moderation_digest.enqueue()
    run_tasks()

    assert mailoutbox == []
    [again] = DBTaskResult.objects.filter(status="READY")
    assert again.run_after == ModerationSettings.load().last_digest_at + HOUR


def test_a_comment_is_in_one_digest_only(client, petition, run_tasks, mailoutbox):
    _comment(client, petition, "only once", 1)
    run_tasks()
    _an_hour_passes()

    send_moderation_digest.enqueue()
    run_tasks()

    assert len(mailoutbox) == 1
    assert Comment.objects.get().in_digest is True


def test_comments_moderated_before_the_digest_are_not_sent(client, petition, run_tasks, mailoutbox):
    _comment(client, petition, "handled already", 1)
    moderation.approve(Comment.objects.all())

    run_tasks()

    assert mailoutbox == []


def test_a_mail_server_outage_marks_nothing_and_retries(
    client, petition, run_tasks, mailoutbox, mail_server_down
):
    _comment(client, petition, "do not lose me", 1)

    run_tasks()

    assert mailoutbox == []
    assert Comment.objects.get().in_digest is False
    assert ModerationSettings.load().last_digest_at is None
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now()

    mail_server_down()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_tasks()

    assert "do not lose me" in mailoutbox[0].body


def test_a_long_queue_lists_fifty_and_counts_the_rest(petition, run_tasks, mailoutbox):
    Comment.objects.bulk_create(
        Comment(
            petition=petition,
            text=f"comment number {number}",
            author_name="Aigul",
            language="en",
        )
        for number in range(60)
    )

    send_moderation_digest.enqueue()
    run_tasks()

    body = mailoutbox[0].body
    assert body.count("/change/") == 50
    assert "…и ещё 10." in body
    assert Comment.objects.filter(in_digest=True).count() == 60
