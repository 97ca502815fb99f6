"""The public thread: approved comments only, newest first, ten threads a page, one level."""

import re

import pytest
from django.utils import timezone

from signatures.models import Comment
from tests.factories import comment_data, make_comment


def _page(client, petition, query="", language="en"):
    response = client.get(f"/{language}/petitions/{petition.slug}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def _shown(html):
    """The comment texts on the page, in order."""
    return [
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(r'<div class="comment__text">(.*?)</div>', html, re.S)
    ]


def _threads(petition, count):
    """`count` top-level comments, "comment 1" the oldest, a minute apart."""
    start = timezone.now() - timezone.timedelta(days=1)
    return [
        make_comment(
            petition,
            text=f"comment {number}",
            created_at=start + timezone.timedelta(minutes=number),
        )
        for number in range(1, count + 1)
    ]


def test_only_approved_comments_are_shown(client, petition):
    for status in ("approved", "pending", "spam", "removed"):
        make_comment(petition, text=f"a {status} comment", status=status)

    assert _shown(_page(client, petition)) == ["a approved comment"]


def test_comments_show_name_localised_date_and_text_newest_first(client, petition):
    make_comment(
        petition,
        text="older",
        author_name="Bakyt",
        created_at=timezone.datetime(2026, 3, 8, 9, 30, tzinfo=timezone.UTC),
    )
    make_comment(petition, text="newer", author_name="Aigul")

    html = _page(client, petition)
    assert _shown(html) == ["newer", "older"]
    assert '<h3 class="comment__author">Bakyt</h3>' in html
    assert '<time datetime="2026-03-08T15:30:00+0600">March 8, 2026, 3:30 p.m.</time>' in html
    russian = _page(client, petition, language="ru")
    assert '<time datetime="2026-03-08T15:30:00+0600">8 марта 2026 г. 15:30</time>' in russian


def test_a_petition_shows_only_its_own_comments(client, petition):
    from tests.factories import make_petition

    make_comment(make_petition(), text="elsewhere")

    assert _shown(_page(client, petition)) == []
    assert "No comments yet." in _page(client, petition)


def test_ten_threads_a_page_with_links_to_newer_and_older(client, petition):
    _threads(petition, 23)

    first = _page(client, petition)
    assert _shown(first) == [f"comment {number}" for number in range(23, 13, -1)]
    assert 'href="?comments=2#comments"' in first
    assert "Page 1 of 3" in first
    assert "Newer comments" not in first

    second = _page(client, petition, "?comments=2")
    assert _shown(second) == [f"comment {number}" for number in range(13, 3, -1)]
    assert 'rel="prev" href="?comments=1#comments"' in second
    assert 'rel="next" href="?comments=3#comments"' in second

    last = _page(client, petition, "?comments=3")
    assert _shown(last) == ["comment 3", "comment 2", "comment 1"]
    assert "Older comments" not in last


def test_ten_threads_or_fewer_need_no_page_links(client, petition):
    _threads(petition, 10)

    html = _page(client, petition)
    assert len(_shown(html)) == 10
    assert 'class="pager"' not in html


@pytest.mark.parametrize(
    ("query", "shown_first"),
    [
        ("?comments=abc", "comment 23"),
        ("?comments=0", "comment 3"),
        ("?comments=-1", "comment 3"),
        ("?comments=99", "comment 3"),
        ("?comments=99999999999999999999999", "comment 3"),
        ("?comment=abc", "comment 23"),
        ("?comment=99999999999999999999999", "comment 23"),
    ],
)
def test_a_page_number_out_of_range_shows_a_page_not_an_error(client, petition, query, shown_first):
    _threads(petition, 23)

    assert _shown(_page(client, petition, query))[0] == shown_first


def test_a_link_to_a_comment_opens_the_page_it_is_on(client, petition):
    comments = _threads(petition, 23)
    reply = make_comment(petition, text="a reply on page 2", parent=comments[5])

    html = _page(client, petition, f"?comment={reply.pk}")

    assert "Page 2 of 3" in html
    assert f'id="comment-{reply.pk}"' in html


def test_replies_follow_their_comment_oldest_first(client, petition):
    thread = make_comment(petition, text="question")
    start = timezone.now()
    make_comment(petition, text="second answer", parent=thread, created_at=start)
    make_comment(
        petition, text="first answer", parent=thread, created_at=start - timezone.timedelta(1)
    )
    make_comment(petition, text="hidden answer", parent=thread, status="pending")
    make_comment(petition, text="newer question", created_at=start + timezone.timedelta(1))

    html = _page(client, petition)

    assert _shown(html) == ["newer question", "question", "first answer", "second answer"]
    assert html.count('class="comment-list comment-list--replies"') == 1


def test_replies_do_not_count_toward_the_ten_threads_a_page(client, petition):
    comments = _threads(petition, 10)
    for number in range(5):
        make_comment(petition, text=f"reply {number}", parent=comments[0])

    html = _page(client, petition)

    assert len(_shown(html)) == 15
    assert 'class="pager"' not in html


def test_a_reply_to_a_reply_joins_the_top_level_comment(client, petition):
    thread = make_comment(petition, text="question")
    answer = make_comment(petition, text="answer", parent=thread)

    reply_page = _page(client, petition, f"comment/?reply_to={answer.pk}")
    assert f'name="parent" value="{answer.pk}"' in reply_page
    client.post(
        f"/en/petitions/{petition.slug}/comment/",
        comment_data(text="answer to the answer", parent=answer.pk),
    )

    reply = Comment.objects.get(text="answer to the answer")
    assert reply.parent == thread


def test_each_comment_and_reply_has_a_reply_link_and_an_anchor(client, petition):
    thread = make_comment(petition)
    answer = make_comment(petition, parent=thread)

    html = _page(client, petition)

    for comment in (thread, answer):
        assert f'id="comment-{comment.pk}"' in html
        assert f'href="/en/petitions/{petition.slug}/comment/?reply_to={comment.pk}"' in html


def test_the_reply_page_quotes_the_comment_replied_to(client, petition):
    thread = make_comment(petition, text="What can I do?", author_name="Bakyt")

    html = _page(client, petition, f"comment/?reply_to={thread.pk}")

    assert "Reply to Bakyt" in html
    assert "What can I do?" in html
    assert "Post reply" in html


@pytest.mark.parametrize("status", ["pending", "spam", "removed"])
def test_nobody_replies_to_a_comment_that_is_not_shown(client, petition, status):
    hidden = make_comment(petition, status=status)

    response = client.post(
        f"/en/petitions/{petition.slug}/comment/", comment_data(parent=hidden.pk)
    )

    assert response.status_code == 400
    assert "The comment you are replying to is no longer available." in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_reply_to_another_petitions_comment_is_refused(client, petition):
    from tests.factories import make_petition

    elsewhere = make_comment(make_petition())

    response = client.post(
        f"/en/petitions/{petition.slug}/comment/", comment_data(parent=elsewhere.pk)
    )

    assert response.status_code == 400


def test_organizer_replies_carry_the_organizer_badge(client, petition):
    thread = make_comment(petition, author_name="Aigul")
    make_comment(petition, parent=thread, is_organizer=True, text="Thank you, Aigul!")

    html = _page(client, petition)
    assert html.count('class="comment__author badge">Organizer</h3>') == 1
    assert "comment comment--organizer" in html
    assert '<h3 class="comment__author">Aigul</h3>' in html
    russian = _page(client, petition, language="ru")
    assert 'class="comment__author badge">Организатор</h3>' in russian


def test_the_thread_needs_a_fixed_number_of_queries(
    client, petition, django_assert_max_num_queries
):
    for thread in _threads(petition, 10):
        make_comment(petition, parent=thread)
        make_comment(petition, parent=thread)

    # The page also reads its published updates and who runs the petition (then cached).
    with django_assert_max_num_queries(12):
        client.get(f"/en/petitions/{petition.slug}/")


def test_a_comment_time_is_a_valid_html_datetime(client, petition):
    # Microseconds, as a real timestamp has them; HTML allows at most three digits.
    make_comment(petition, created_at=timezone.now().replace(microsecond=365472))

    html = _page(client, petition)

    assert re.findall(r'<time datetime="([^"]+)"', html) == [
        timezone.localtime(Comment.objects.get().created_at).strftime("%Y-%m-%dT%H:%M:%S%z")
    ]
