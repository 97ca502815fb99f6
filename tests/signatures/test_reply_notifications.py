"""People who ask are told of approved replies in their thread, and can stop it in one click."""

import re

from django.contrib.auth import get_user_model
from django.utils import timezone

from signatures import links, moderation
from signatures.models import Comment
from tests.factories import comment_data, make_comment, make_petition

EARLIER = timezone.now() - timezone.timedelta(hours=1)


def _subscriber(petition, email="aigul@example.org", **fields):
    fields.setdefault("created_at", EARLIER)
    return make_comment(petition, email=email, notify_replies=True, **fields)


def _reply(client, petition, parent, text="I agree", **data):
    client.post(
        f"/en/petitions/{petition.slug}/comment/",
        comment_data(text=text, parent=parent.pk, **data),
        REMOTE_ADDR="198.51.100.20",
    )
    return Comment.objects.get(text=text)


def test_an_approved_reply_is_emailed_to_the_commenter_who_asked(
    client, petition, run_tasks, mailoutbox
):
    thread = _subscriber(petition, language="ru")
    reply = _reply(client, petition, thread)
    run_tasks()
    assert mailoutbox == []

    moderation.approve(Comment.objects.filter(pk=reply.pk))
    run_tasks()

    [email] = mailoutbox
    assert email.to == ["aigul@example.org"]
    assert email.subject == "Ответ на ваш комментарий"
    assert (
        f"https://petition.test/ru/petitions/{petition.slug}/?comment={reply.pk}"
        f"#comment-{reply.pk}" in email.body
    )
    assert "https://petition.test/ru/comments/stop-replies/" in email.body


def test_discreet_emails_name_neither_the_petition_nor_the_reply(
    client, petition, run_tasks, mailoutbox
):
    thread = _subscriber(petition)
    reply = _reply(client, petition, thread, text="A reply about the law")

    moderation.approve(Comment.objects.filter(pk=reply.pk))
    run_tasks()

    body = mailoutbox[0].body
    assert petition.title_en not in body
    assert "A reply about the law" not in body


def test_without_discretion_the_email_quotes_the_reply(client, db, run_tasks, mailoutbox):
    petition = make_petition(discreet_emails=False, email_sender_name="Notifications")
    thread = _subscriber(petition)
    reply = _reply(client, petition, thread, text="See you at the hearing")

    moderation.approve(Comment.objects.filter(pk=reply.pk))
    run_tasks()

    email = mailoutbox[0]
    assert email.from_email == "Notifications <petition@localhost>"
    assert "See you at the hearing" in email.body
    assert "Aigul" in email.body


def test_everyone_in_the_thread_who_asked_is_told_once_but_not_the_replier(
    client, petition, run_tasks, mailoutbox
):
    thread = _subscriber(petition, email="first@example.org")
    _subscriber(petition, email="second@example.org", parent=thread)
    _subscriber(petition, email="Second@Example.org", parent=thread)
    make_comment(petition, parent=thread, email="quiet@example.org", created_at=EARLIER)
    _subscriber(petition, email="pending@example.org", parent=thread, status="pending")

    _reply(client, petition, thread, email="first@example.org")
    moderation.approve(Comment.objects.filter(text="I agree"))
    run_tasks()

    assert sorted(email.to[0] for email in mailoutbox) == ["Second@Example.org"]


def test_an_organizer_reply_is_emailed_at_once(petition, run_tasks, mailoutbox):
    thread = _subscriber(petition)
    organizer = get_user_model().objects.create_user("organizer")

    moderation.reply_as_organizer(thread, "Thank you!", organizer)
    run_tasks()

    assert [email.to for email in mailoutbox] == [["aigul@example.org"]]


def test_a_reply_the_rules_approve_is_emailed_at_once(client, petition, run_tasks, mailoutbox):
    from signatures.models import ModerationSettings

    ModerationSettings.objects.update_or_create(pk=1, defaults={"hold": "first-time"})
    make_comment(petition, email="known@example.org", created_at=EARLIER)
    thread = _subscriber(petition)

    _reply(client, petition, thread, email="known@example.org")
    run_tasks()

    assert len(mailoutbox) == 1


def test_a_reply_removed_before_the_email_left_is_not_emailed(
    client, petition, run_tasks, mailoutbox
):
    thread = _subscriber(petition)
    reply = _reply(client, petition, thread)
    moderation.approve(Comment.objects.filter(pk=reply.pk))

    moderation.remove(Comment.objects.filter(pk=reply.pk))
    run_tasks()

    assert mailoutbox == []


def test_the_stop_link_erases_the_address_from_all_comments_after_a_button(
    client, petition, run_tasks, mailoutbox
):
    thread = _subscriber(petition)
    other = _subscriber(make_petition(), email="AIGUL@example.org")
    reply = _reply(client, petition, thread)
    moderation.approve(Comment.objects.filter(pk=reply.pk))
    run_tasks()
    stop_url = re.search(r"https://petition.test(/en/\S+/)$", mailoutbox[0].body, re.M).group(1)
    assert stop_url.startswith("/en/comments/stop-replies/")

    page = client.get(stop_url)
    assert "Stop the emails" in page.content.decode()
    assert Comment.objects.get(pk=thread.pk).notify_replies is True
    response = client.post(stop_url, follow=True)

    assert "No more reply emails" in response.content.decode()
    for comment in (thread, other):
        comment.refresh_from_db()
        assert (comment.notify_replies, comment.email_encrypted) == (False, "")
    assert Comment.objects.filter(pk=thread.pk, status="approved").exists()


def test_a_broken_stop_link_is_a_clear_400(client, db):
    response = client.get("/en/comments/stop-replies/nonsense/")

    assert response.status_code == 400
    assert "The link is incomplete or was changed." in response.content.decode()


def test_an_expired_stop_link_points_to_the_newest_email_and_changes_nothing(
    client, petition, settings
):
    thread = _subscriber(petition)
    url = f"/ru/comments/stop-replies/{links.STOP_REPLIES.token(thread.pk)}/"
    settings.STOP_REPLIES_LINK_DAYS = -1

    response = client.post(url)

    assert response.status_code == 400
    assert "Воспользуйтесь ссылкой из последнего письма об ответах" in response.content.decode()
    thread.refresh_from_db()
    assert thread.notify_replies is True
