"""Whatever bytes, charset and content type reach a public form or an emailed link: a 4xx, or
the form's own answer when the body is a readable form, and nothing stored that was not sent.
"""

from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signatures import links
from signatures.models import Comment, Signature
from tests.factories import make_comment, make_signature

FORM = "application/x-www-form-urlencoded"
FOREIGN_CHARSETS = ["latin-1", "utf-16", "utf-16-le", "utf-32", "cp1251", "koi8-r", "ascii", "x"]
NOT_FORMS = [
    "application/json",
    "text/plain",
    "text/xml",
    "application/xml",
    "application/octet-stream",
    "",
]

_property = settings(
    max_examples=60,
    deadline=None,
    # The database and the client are shared by the examples: each checks what it added.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# Bodies no browser sends to this site.
unreadable = st.one_of(
    st.tuples(st.sampled_from(NOT_FORMS), st.binary(min_size=1, max_size=500)),
    st.tuples(
        st.sampled_from(NOT_FORMS) | st.from_regex(r"\A[a-z]{1,10}/[a-z+.-]{1,15}\Z"),
        st.text(min_size=1, max_size=200).map(str.encode),
    ).filter(lambda pair: pair[0] not in (FORM, "multipart/form-data")),
    st.tuples(
        st.just(FORM),
        st.tuples(st.binary(max_size=200), st.integers(0x80, 0xFF), st.binary(max_size=200)).map(
            lambda parts: parts[0] + bytes([parts[1]]) + parts[2]
        ),
    ),
    st.tuples(
        st.sampled_from([FORM, "multipart/form-data; boundary=x"]).flatmap(
            lambda kind: st.sampled_from(FOREIGN_CHARSETS).map(lambda c: f"{kind}; charset={c}")
        ),
        # Django's test client sends no Content-Type, so no charset, with an empty body.
        st.binary(min_size=1, max_size=300),
    ),
)


@pytest.fixture
def browser(petition):
    """Passes the CSRF check as production runs it, so the check itself reads the body."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get(f"/en/petitions/{petition.slug}/sign/")
    client.defaults["HTTP_X_CSRFTOKEN"] = client.cookies["csrftoken"].value
    return client


@pytest.fixture
def urls(petition):
    """Every public form and every kind of emailed link, with live tokens."""
    signature = make_signature(petition)
    comment = make_comment(petition, email="reader@example.org", notify_replies=True)
    return [
        f"/en/petitions/{petition.slug}/sign/",
        f"/ru/petitions/{petition.slug}/comment/",
        f"/en/signatures/confirm/{links.CONFIRM.token(signature.pk)}/",
        f"/ru/signatures/withdraw/{links.WITHDRAW.token(signature.pk)}/",
        f"/en/comments/stop-replies/{links.STOP_REPLIES.token(comment.pk)}/",
        "/en/signatures/confirm/not-a-token/",
    ]


def _state():
    return (
        list(Signature.objects.values_list("pk", "status", "name", "email_encrypted")),
        list(Comment.objects.values_list("pk", "status", "text", "notify_replies")),
    )


@_property
@given(sent=unreadable, which=st.integers(0, 5))
def test_an_unreadable_body_is_a_400_and_changes_nothing(browser, urls, sent, which):
    content_type, body = sent
    before = _state()

    response = browser.generic("POST", urls[which], body, content_type=content_type)

    assert response.status_code == 400, (urls[which], content_type, body)
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert _state() == before


fields = st.dictionaries(
    st.sampled_from(["name", "email", "region", "privacy", "text", "author_name", "comment"])
    | st.text(max_size=10),
    st.text(max_size=120),
    max_size=8,
)


@_property
@given(data=fields, target=st.sampled_from(["sign", "comment"]))
def test_any_utf_8_form_is_answered_by_the_form_and_stored_as_sent(browser, petition, data, target):
    signatures, comments = Signature.objects.count(), Comment.objects.count()

    response = browser.post(
        f"/en/petitions/{petition.slug}/{target}/", urlencode(data), content_type=FORM
    )

    assert response.status_code in (302, 400, 429)
    if response.status_code != 302:
        assert (Signature.objects.count(), Comment.objects.count()) == (signatures, comments)
    elif target == "sign" and Signature.objects.count() > signatures:
        assert Signature.objects.latest("pk").name == " ".join(data["name"].split())
    elif Comment.objects.count() > comments:
        assert Comment.objects.latest("pk").author_name == " ".join(data["author_name"].split())
