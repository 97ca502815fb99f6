"""Posting a comment: stored pending, the poster alone told it awaits moderation."""

from django.db import connection
from django.test import Client
from django.utils import timezone

from signatures.models import Comment, ModerationSettings
from tests.factories import comment_data, make_comment, make_petition

HOUR = timezone.timedelta(hours=1)


def _post(client, petition, language="en", **data):
    return client.post(
        f"/{language}/petitions/{petition.slug}/comment/", comment_data(**data), follow=True
    )


def test_the_comment_form_is_on_the_petition_page_below_the_text(client, petition):
    html = client.get(f"/en/petitions/{petition.slug}/").content.decode()

    assert f'action="/en/petitions/{petition.slug}/comment/"' in html
    assert html.index('id="comments"') > html.index('class="petition__text"')
    for field in ("text", "author_name", "email", "notify_replies", "website"):
        assert f'name="{field}"' in html
    # The sign form on the same page keeps its own ids.
    assert 'id="comment_email"' in html
    assert 'id="id_email"' in html


def test_a_comment_is_stored_pending_and_only_its_poster_hears_it_awaits_moderation(
    client, petition
):
    response = _post(client, petition)

    assert response.redirect_chain == [(f"/en/petitions/{petition.slug}/comment/sent/", 302)]
    assert "private" in response.headers["Cache-Control"]
    assert "Your comment is awaiting moderation." in response.content.decode()
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.text == "I signed and I hope they listen."
    assert comment.author_name == "Aigul"
    assert comment.language == "en"
    assert comment.parent is None
    assert comment.moderated_at is None
    assert len(comment.ip_hash) == 64
    assert "I signed and I hope" not in response.content.decode()

    again = client.get(f"/en/petitions/{petition.slug}/").content.decode()
    assert "awaiting moderation" not in again
    stranger = Client().get(f"/en/petitions/{petition.slug}/").content.decode()
    assert "awaiting moderation" not in stranger


def test_the_message_is_translated(client, petition):
    response = _post(client, petition, language="ru")

    assert "Ваш комментарий ожидает проверки модератором." in response.content.decode()


def test_without_notifications_the_email_is_kept_only_as_a_keyed_hash(client, petition):
    _post(client, petition, email="Secret.Person@example.org")

    comment = Comment.objects.get()
    assert comment.email_encrypted == ""
    assert len(comment.email_hash) == 64
    assert comment.notify_replies is False


def test_with_notifications_the_email_is_stored_encrypted(client, petition):
    _post(client, petition, email="Secret.Person@example.org", notify_replies="on")

    comment = Comment.objects.get()
    assert comment.notify_replies is True
    assert comment.email == "Secret.Person@example.org"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM signatures_comment")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert "secret.person" not in row.lower()
    assert "127.0.0.1" not in row


def test_a_comment_the_rules_approve_is_published_and_shown_in_place(client, petition):
    ModerationSettings.objects.update_or_create(pk=1, defaults={"hold": "first-time"})
    make_comment(petition, email="known@example.org", created_at=timezone.now() - HOUR)

    response = _post(client, petition, email="known@example.org", text="Published at once")

    comment = Comment.objects.latest("pk")
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderated_at is not None
    assert comment.moderated_by is None
    assert response.redirect_chain == [
        (f"/en/petitions/{petition.slug}/comment/sent/?comment={comment.pk}", 302)
    ]
    html = response.content.decode()
    assert "Thank you. Your comment is published." in html
    assert f'id="comment-{comment.pk}"' in html
    assert f'href="{comment.get_absolute_url()}"' in html


def test_a_comment_sent_to_spam_hears_the_same_as_any_other(client, petition):
    ModerationSettings.objects.update_or_create(pk=1, defaults={"block_words": "casino"})

    response = _post(client, petition, text="Best casino in town")

    assert Comment.objects.get().status == Comment.Status.SPAM
    assert "Your comment is awaiting moderation." in response.content.decode()


def test_a_filled_honeypot_looks_like_success_and_stores_nothing(client, petition):
    response = _post(client, petition, website="http://spam.example")

    assert "Your comment is awaiting moderation." in response.content.decode()
    assert Comment.objects.count() == 0


def test_closed_petitions_keep_their_conversation(client, db):
    closed = make_petition(status="closed")

    _post(client, closed)

    assert Comment.objects.filter(petition=closed).count() == 1


def test_a_draft_petition_takes_no_comments(client, db):
    draft = make_petition(status="draft")

    response = client.post(f"/en/petitions/{draft.slug}/comment/", comment_data())

    assert response.status_code == 404
    assert Comment.objects.count() == 0


def test_the_comment_page_shows_a_form_and_a_get_stores_nothing(client, petition):
    response = client.get(f"/en/petitions/{petition.slug}/comment/", comment_data())

    assert response.status_code == 200
    assert 'name="text"' in response.content.decode()
    assert Comment.objects.count() == 0
