"""A body the site cannot read as a UTF-8 form is a 400 with the site's page; nothing is stored.

Browsers send this site's forms as UTF-8, percent-encoded (or multipart); anything else came
from a script or a broken client, and Django would decode it in the wrong charset, or fail.
"""

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from signatures import links
from signatures.models import Comment, Signature
from tests.factories import make_comment, make_signature

FORM = "application/x-www-form-urlencoded"
SIGN_BODY = "name=Aigul+Mamatova&email=aigul%40example.org&region=bishkek&privacy=on"


def _form_urls(petition):
    return [f"/en/petitions/{petition.slug}/sign/", f"/en/petitions/{petition.slug}/comment/"]


def _browser(petition):
    """A client that passes the CSRF check as production runs it: the public forms are
    checked by where the POST comes from (petition_site.csrf), with no token."""
    return Client(
        enforce_csrf_checks=True,
        raise_request_exception=False,
        headers={"Sec-Fetch-Site": "same-origin"},
    )


def _assert_the_400_page(response, language="en"):
    assert response.status_code == 400
    assert response["Content-Type"] == "text/html; charset=utf-8"
    heading = {
        "en": "This request could not be read",
        "ru": "Не удалось прочитать запрос",
    }[language]
    assert heading in response.content.decode()


@pytest.mark.parametrize("charset", ["latin-1", "utf-16", "cp1251", "koi8-r"])
def test_a_form_in_another_charset_is_a_400_not_a_500(petition, charset):
    client = _browser(petition)
    for url in _form_urls(petition):
        response = client.post(
            # The test client encodes the text in the charset the Content-Type names.
            url,
            SIGN_BODY,
            content_type=f"{FORM}; charset={charset}",
        )

        _assert_the_400_page(response)
    assert not Signature.objects.exists()
    assert not Comment.objects.exists()


def test_the_400_page_speaks_the_language_of_the_address(petition):
    response = _browser(petition).post(
        f"/ru/petitions/{petition.slug}/sign/", "name=x", content_type=f"{FORM}; charset=utf-16"
    )

    _assert_the_400_page(response, language="ru")


def test_utf_8_named_in_any_spelling_is_read_as_usual(client, petition):
    response = client.post(
        f"/en/petitions/{petition.slug}/sign/", SIGN_BODY, content_type=f"{FORM}; charset=UTF-8"
    )

    assert response.status_code == 302
    assert Signature.objects.get().name == "Aigul Mamatova"


@pytest.mark.parametrize(
    "body",
    [
        # Raw Latin-1 bytes, as a broken client sends "Aiÿþgul".
        b"name=Ai\xff\xfegul+Mamatova&email=aigul%40example.org&region=bishkek&privacy=on",
        # Percent-encoded, but not UTF-8 underneath.
        b"name=Ai%FF%FEgul+Mamatova&email=aigul%40example.org&region=bishkek&privacy=on",
        # Raw UTF-8 bytes: a browser percent-encodes them, and Django would read them as Latin-1.
        "name=Айгуль+Маматова&email=aigul%40example.org&region=bishkek&privacy=on".encode(),
    ],
)
def test_bytes_that_are_not_percent_encoded_utf_8_are_a_400_and_store_nothing(
    client, petition, body
):
    response = client.post(f"/en/petitions/{petition.slug}/sign/", body, content_type=FORM)

    _assert_the_400_page(response)
    assert not Signature.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"name": "Aigul Mamatova", "email": "aigul@example.org"}'),
        ("text/plain", b"name=Aigul Mamatova\r\nemail=aigul@example.org\r\n"),
        ("application/xml", b"<signature><name>Aigul</name></signature>"),
        ("", b"name=Aigul"),
    ],
)
def test_a_post_that_is_not_a_form_is_a_400(client, petition, content_type, body):
    for url in _form_urls(petition):
        response = client.post(url, body, content_type=content_type)

        _assert_the_400_page(response)


def test_an_empty_post_of_any_type_is_the_form_with_its_errors(client, petition):
    response = client.post(f"/en/petitions/{petition.slug}/sign/", b"", content_type="text/plain")

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_a_multipart_form_is_read_as_usual(client, petition):
    response = client.post(
        f"/en/petitions/{petition.slug}/sign/",
        {
            "name": "Айгуль Маматова",
            "email": "aigul@example.org",
            "region": "bishkek",
            "privacy": "on",
        },
    )

    assert response.status_code == 302
    assert Signature.objects.get().name == "Айгуль Маматова"


def test_a_token_link_posted_in_another_charset_confirms_nothing(petition):
    signature = make_signature(petition)

    response = _browser(petition).post(
        f"/en/signatures/confirm/{links.CONFIRM.token(signature.pk)}/",
        "a=b",
        content_type=f"{FORM}; charset=utf-16",
    )

    _assert_the_400_page(response)
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING


def test_head_is_answered_wherever_get_is(client, petition):
    signature = make_signature(petition)
    comment = make_comment(petition, email="reader@example.org", notify_replies=True)
    urls = [
        f"/en/petitions/{petition.slug}/sign/",
        f"/en/petitions/{petition.slug}/comment/",
        f"/en/petitions/{petition.slug}/check-your-email/",
        f"/en/petitions/{petition.slug}/thanks/",
        f"/en/signatures/confirm/{links.CONFIRM.token(signature.pk)}/",
        f"/en/signatures/withdraw/{links.WITHDRAW.token(signature.pk)}/",
        f"/en/comments/stop-replies/{links.STOP_REPLIES.token(comment.pk)}/",
        "/en/signatures/withdrawn/",
        "/en/privacy/",
        f"/petitions/{petition.slug}/count.json",
    ]

    for url in urls:
        assert (url, client.head(url).status_code) == (url, 200)
        assert client.head(url).content == b""
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING
