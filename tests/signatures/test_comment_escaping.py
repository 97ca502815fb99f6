"""Comments are plain text: no HTML a commenter writes ever reaches the page as HTML."""

import re

import pytest

from signatures.models import Comment
from tests.factories import comment_data, make_comment


def _post_and_approve(client, petition, **data):
    response = client.post(f"/en/petitions/{petition.slug}/comment/", comment_data(**data))
    assert response.status_code == 302
    Comment.objects.update(status=Comment.Status.APPROVED, moderated_at="2026-01-01T00:00Z")
    return client.get(f"/en/petitions/{petition.slug}/").content.decode()


def _thread(html):
    """The comments section alone, from its start to its end."""
    return html.split('id="comments"')[1].split("</section>")[0]


@pytest.mark.parametrize(
    ("payload", "escaped"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('<img src=x onerror="alert(1)">', "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"),
        ('<a href="javascript:alert(1)">click</a>', "&lt;a href=&quot;javascript:alert(1)"),
        ("<b>bold</b> <i>and</i> <u>more</u>", "&lt;b&gt;bold&lt;/b&gt;"),
        ("<iframe src=//evil.example></iframe>", "&lt;iframe src=//evil.example&gt;"),
        ("</div></article></ol><h1>fake</h1>", "&lt;/div&gt;&lt;/article&gt;&lt;/ol&gt;"),
        ("&lt;script&gt; already escaped", "&amp;lt;script&amp;gt; already escaped"),
    ],
)
def test_html_in_a_comment_is_shown_as_text(client, petition, payload, escaped):
    thread = _thread(_post_and_approve(client, petition, text=payload))

    assert escaped in thread
    assert payload not in thread


def test_html_in_a_name_is_shown_as_text(client, petition):
    make_comment(petition, author_name="<b>Boss</b>")
    make_comment(petition, author_name='Ann" onmouseover="alert(1)')

    thread = _thread(client.get(f"/en/petitions/{petition.slug}/").content.decode())

    assert "&lt;b&gt;Boss&lt;/b&gt;" in thread
    assert "Ann&quot; onmouseover=&quot;alert(1)" in thread
    assert "<b>Boss</b>" not in thread


def test_the_page_has_no_script_and_no_link_from_a_commenter(client, petition):
    html = _post_and_approve(
        client,
        petition,
        text="javascript:alert(1) and https://evil.example/phish and www.spam.example",
    )

    assert "<script" not in _thread(html)
    assert re.findall(r"<script(?![^>]*\bsrc=\"/static/)[^>]*>", html) == []
    assert 'href="javascript' not in html
    assert 'href="https://evil.example' not in html
    assert "https://evil.example/phish" in _thread(html)


def test_line_breaks_are_kept_and_blank_runs_shortened(client, petition):
    html = _post_and_approve(client, petition, text="First line\r\nsecond line\r\n\r\n\r\n\r\nend")

    assert "First line<br>second line<br><br>end" in _thread(html)
    assert Comment.objects.get().text == "First line\nsecond line\n\nend"


def test_the_text_reaches_the_reply_page_escaped_too(client, petition):
    thread = make_comment(petition, text="<script>alert(1)</script>")

    html = client.get(
        f"/en/petitions/{petition.slug}/comment/?reply_to={thread.pk}"
    ).content.decode()

    assert "&lt;script&gt;" in html
    assert "<script>alert" not in html
