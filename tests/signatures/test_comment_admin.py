"""The moderation queue in admin: pending first, counted, searchable, with bulk actions."""

import re

import pytest

from signatures import privacy
from signatures.models import Comment, ModerationSettings
from tests.factories import make_comment, make_petition

QUEUE = "/admin/signatures/comment/"


@pytest.fixture
def organizer_client(organizer_client):
    """The organizer's browser (second factor verified), reading admin in English."""
    organizer_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return organizer_client


def _rows(html):
    """The comment excerpts listed in the queue, in order."""
    return re.findall(r'<th class="field-excerpt"><a [^>]*>(.*?)</a>', html)


def test_the_queue_opens_on_pending_comments(organizer_client, petition):
    make_comment(petition, text="waiting", status="pending")
    make_comment(petition, text="shown")

    html = organizer_client.get(QUEUE).content.decode()

    assert _rows(html) == ["waiting"]


def test_each_state_in_the_filter_shows_its_count(organizer_client, petition):
    for status, count in [("pending", 3), ("approved", 2), ("spam", 1)]:
        for _ in range(count):
            make_comment(petition, status=status)

    html = organizer_client.get(QUEUE).content.decode()

    for label in ["Pending (3)", "Approved (2)", "Spam (1)", "Removed (0)", "All"]:
        assert f">{label}</a>" in html
    assert len(_rows(organizer_client.get(QUEUE + "?status=all").content.decode())) == 6
    assert len(_rows(organizer_client.get(QUEUE + "?status=spam").content.decode())) == 1


def test_search_finds_comments_by_name_and_text(organizer_client, petition):
    make_comment(petition, text="about the law", author_name="Bakyt", status="pending")
    make_comment(petition, text="about the weather", author_name="Aigul", status="pending")

    assert _rows(organizer_client.get(QUEUE + "?q=bakyt").content.decode()) == ["about the law"]
    assert _rows(organizer_client.get(QUEUE + "?q=weather").content.decode()) == [
        "about the weather"
    ]


def test_the_queue_shows_petition_language_and_a_link_to_the_comment_in_place(organizer_client, db):
    petition = make_petition(title_en="Clean water")
    make_petition(title_en="Clean air")
    comment = make_comment(petition, status="pending", language="ru")

    html = organizer_client.get(QUEUE).content.decode()

    assert '<td class="field-petition nowrap">Clean water</td>' in html
    assert '<td class="field-language_name">Русский</td>' in html
    assert f'href="/en/petitions/{petition.slug}/?comment={comment.pk}#comment-{comment.pk}"' in (
        html
    )


@pytest.mark.parametrize(
    ("action", "status"),
    [("approve", "approved"), ("mark_spam", "spam"), ("remove", "removed")],
)
def test_bulk_actions_change_the_selected_comments(organizer_client, petition, action, status):
    chosen = [make_comment(petition, status="pending") for _ in range(2)]
    other = make_comment(petition, status="pending")

    response = organizer_client.post(
        QUEUE, {"action": action, "_selected_action": [comment.pk for comment in chosen]}
    )

    assert response.status_code == 302
    assert set(
        Comment.objects.filter(pk__in=[c.pk for c in chosen]).values_list("status", flat=True)
    ) == {status}
    other.refresh_from_db()
    assert other.status == "pending"
    assert Comment.objects.get(pk=chosen[0].pk).moderated_by.username == "organizer"


def test_admin_never_deletes_a_comment(organizer_client, petition):
    comment = make_comment(petition, status="spam")

    html = organizer_client.get(QUEUE + "?status=all").content.decode()
    assert 'value="delete_selected"' not in html
    response = organizer_client.post(f"{QUEUE}{comment.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Comment.objects.count() == 1


def test_the_email_is_never_shown_only_whether_there_is_one(organizer_client, petition):
    comment = make_comment(
        petition, status="pending", email="hidden.person@example.org", notify_replies=True
    )

    for url in (QUEUE, f"{QUEUE}{comment.pk}/change/"):
        html = organizer_client.get(url).content.decode()
        assert "hidden.person" not in html
        assert comment.email_encrypted not in html
        assert comment.email_hash not in html
    assert 'alt="True"' in organizer_client.get(QUEUE).content.decode()


def test_moderators_may_redact_the_text_but_not_change_the_state_by_hand(
    organizer_client, petition
):
    comment = make_comment(petition, text="Call 0555 123 456", author_name="Aigul")
    url = f"{QUEUE}{comment.pk}/change/"

    response = organizer_client.post(
        url, {"author_name": "Aigul", "text": "Call [removed]", "status": "spam"}
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.text == "Call [removed]"
    assert comment.status == Comment.Status.APPROVED


def test_organizers_reply_from_admin_as_organizer(organizer_client, petition):
    thread = make_comment(petition, text="Who decides?", status="pending")
    url = f"{QUEUE}{thread.pk}/reply/"

    page = organizer_client.get(url)
    assert page.status_code == 200
    assert "Who decides?" in page.content.decode()
    response = organizer_client.post(url, {"text": "Parliament votes in spring."})

    reply = Comment.objects.get(is_organizer=True)
    assert response.status_code == 302
    assert reply.parent == thread
    assert reply.status == Comment.Status.APPROVED
    html = organizer_client.get(f"/en/petitions/{petition.slug}/").content.decode()
    assert "Parliament votes in spring." in html
    assert 'class="comment__author badge">Organizer</h3>' in html


def test_an_empty_reply_is_refused(organizer_client, petition):
    thread = make_comment(petition)

    response = organizer_client.post(f"{QUEUE}{thread.pk}/reply/", {"text": "  "})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_reply_in_a_removed_thread_is_refused_with_a_message(organizer_client, petition):
    thread = make_comment(petition, status="removed")

    response = organizer_client.post(f"{QUEUE}{thread.pk}/reply/", {"text": "Hi"}, follow=True)

    assert "it takes no replies" in response.content.decode()
    assert Comment.objects.count() == 1


def test_moderation_settings_are_one_page_with_no_add_or_delete(organizer_client, db):
    response = organizer_client.get("/admin/signatures/moderationsettings/", follow=True)

    assert response.redirect_chain == [("/admin/signatures/moderationsettings/1/change/", 302)]
    html = response.content.decode()
    assert 'name="hold_words"' in html
    assert 'name="block_words"' in html
    assert "/moderationsettings/add/" not in html
    assert "/moderationsettings/1/delete/" not in html


def test_organizers_change_the_rules_in_admin(organizer_client, db):
    url = "/admin/signatures/moderationsettings/1/change/"
    ModerationSettings.load()

    organizer_client.post(
        url,
        {"hold": "first-time", "max_links": "3", "hold_words": "bribe", "block_words": "casino"},
    )

    rules = ModerationSettings.load()
    assert (rules.hold, rules.max_links, rules.hold_words, rules.block_words) == (
        "first-time",
        3,
        "bribe",
        "casino",
    )


def test_the_admin_shows_the_email_hash_nowhere_even_in_search(organizer_client, petition):
    make_comment(petition, email="x@example.org", status="pending")

    html = organizer_client.get(
        QUEUE + "?q=" + privacy.email_hash("x@example.org")
    ).content.decode()

    assert _rows(html) == []


def test_the_queue_speaks_russian_to_russian_moderators(organizer_client, petition):
    organizer_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    chosen = [make_comment(petition, status="pending") for _ in range(2)]

    html = organizer_client.get(QUEUE).content.decode()
    response = organizer_client.post(
        QUEUE, {"action": "approve", "_selected_action": [c.pk for c in chosen]}, follow=True
    )

    assert ">Ожидает проверки (2)</a>" in html
    assert "Одобрить выбранные комментарии" in html
    assert "2 комментария одобрены." in response.content.decode()


def test_with_a_single_petition_the_lists_leave_out_its_column(organizer_client, db):
    petition = make_petition(title_en="Clean water")
    make_comment(petition, status="pending")

    html = organizer_client.get(QUEUE).content.decode()

    assert "field-petition" not in html
    assert "?petition__id__exact=" not in html
