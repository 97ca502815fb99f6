"""Every bad comment gets a clear, translated error and a 400, and stores nothing."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signatures.models import Comment
from tests.factories import comment_data


def _post(client, petition, language="en", **data):
    return client.post(f"/{language}/petitions/{petition.slug}/comment/", comment_data(**data))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": None}, "This field is required."),
        ({"text": " \r\n\t "}, "This field is required."),
        ({"text": "x" * 2001}, "Ensure this value has at most 2000 characters (it has 2001)."),
        ({"text": "Hi\x00there"}, "Null characters are not allowed."),
        ({"text": "Hi\x07there"}, "The text contains invisible or unreadable characters."),
        ({"text": "Hi\x1bthere"}, "The text contains invisible or unreadable characters."),
        ({"text": "evil\u202eexe.txt"}, "The text contains invisible or unreadable characters."),
        ({"text": "Hi\ufffdthere"}, "The text contains invisible or unreadable characters."),
        ({"text": "Hi\ue000there"}, "The text contains invisible or unreadable characters."),
        ({"author_name": None}, "This field is required."),
        ({"author_name": "A"}, "Please enter at least 2 characters."),
        ({"author_name": "A" * 101}, "Please use at most 100 characters."),
        ({"author_name": "An\x00na"}, "Null characters are not allowed."),
        ({"author_name": "An\u200bna"}, "The name contains invisible or unreadable characters."),
        ({"author_name": "Visit https://spam.example"}, "A name cannot contain a web address."),
        ({"author_name": "=HYPERLINK(1)"}, "A name cannot start with =, +, - or @."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"email": "a\x00@example.org"}, "Null characters are not allowed."),
        ({"notify_replies": "on"}, "Give your email address to be told about replies."),
        ({"parent": "abc"}, "Enter a whole number."),
        ({"parent": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"parent": "99999999999999999999"}, "Ensure this value is less than or equal to"),
        ({"parent": "12345"}, "The comment you are replying to is no longer available."),
    ],
)
def test_a_bad_field_is_refused_with_its_error(client, petition, data, message):
    response = _post(client, petition, **data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Comment.objects.count() == 0


def test_the_full_2000_characters_are_accepted_however_lines_are_broken(client, petition):
    text = ("x" * 99 + "\r\n") * 19 + "x" * 100
    assert len(text) == 2019

    response = _post(client, petition, text=text)

    assert response.status_code == 302
    assert len(Comment.objects.get().text) == 2000


def test_tabs_emoji_and_joiners_are_welcome(client, petition):
    text = "Мы вместе 👩\u200d👩\u200d👧\tи\u200cдальше ✊🏽"

    response = _post(client, petition, text=text)

    assert response.status_code == 302
    assert Comment.objects.get().text == text


def test_errors_are_translated_and_the_input_is_kept(client, petition):
    response = _post(client, petition, language="ru", text="Мой текст", author_name="A")

    html = response.content.decode()
    assert response.status_code == 400
    assert "Пожалуйста, исправьте отмеченные ниже поля." in html
    assert "Мой текст</textarea>" in html
    assert 'value="A"' in html


def test_undecodable_bytes_are_a_400_not_a_500(client, petition):
    response = client.post(
        f"/en/petitions/{petition.slug}/comment/",
        b"text=%FF%FE%00&author_name=%C3%28",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert Comment.objects.count() == 0


def test_a_huge_body_is_refused_with_a_4xx(client, petition):
    response = _post(client, petition, text="x" * 3_000_000)

    assert 400 <= response.status_code < 500
    assert Comment.objects.count() == 0


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=st.text(max_size=2100),
    name=st.text(max_size=120),
    email=st.one_of(st.just(""), st.emails(), st.text(max_size=60)),
    parent=st.one_of(st.just(""), st.text(max_size=25)),
)
def test_any_input_is_either_stored_once_or_refused_never_a_500(
    client, petition, text, name, email, parent
):
    before = Comment.objects.count()

    response = client.post(
        f"/en/petitions/{petition.slug}/comment/",
        comment_data(text=text, author_name=name, email=email, parent=parent),
        # Each example is another visitor, so the limits stay out of the way.
        REMOTE_ADDR=f"10.9.{before // 250}.{before % 250}",
    )

    after = Comment.objects.count()
    # 429: the same email twice within seconds, which the flood guard stops.
    assert response.status_code in (302, 400, 429)
    assert after - before == (1 if response.status_code == 302 else 0)
