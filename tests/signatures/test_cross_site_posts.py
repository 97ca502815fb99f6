"""The public sign and comment forms need no token: a POST from another site is refused by
what the browser says about where it comes from (Sec-Fetch-Site, else Origin)."""

import pytest
from django.test import Client

from signatures.models import Comment, Signature
from tests.factories import comment_data, sign_data

FORMS = {
    "sign": (sign_data, Signature),
    "comment": (comment_data, Comment),
}


def _post(petition, form, **headers):
    data, _model = FORMS[form]
    # enforce_csrf_checks: as a browser, which the test client otherwise is not.
    client = Client(enforce_csrf_checks=True)
    return client.post(f"/en/petitions/{petition.slug}/{form}/", data(), headers=headers)


def _stored(form):
    return FORMS[form][1].objects.count()


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "https://other.petition.test"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
    ],
)
def test_a_post_from_another_site_is_refused_and_nothing_is_stored(petition, form, headers):
    response = _post(petition, form, **headers)

    assert response.status_code == 403
    assert "Please try again" in response.content.decode()
    assert _stored(form) == 0


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"},
        {"Sec-Fetch-Site": "none"},
        {"Origin": "http://testserver"},
        {"Origin": "https://petition.test"},  # SITE_URL
        {},  # an old browser or a script: it could send any header, or fetch any token
    ],
)
def test_a_post_from_this_site_needs_no_token(petition, form, headers):
    response = _post(petition, form, **headers)

    assert response.status_code == 302
    assert _stored(form) == 1


def test_a_trusted_origin_may_post(petition, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.petition.test"]

    response = _post(
        petition, "sign", **{"Sec-Fetch-Site": "same-site", "Origin": "https://www.petition.test"}
    )

    assert response.status_code == 302
    assert _stored("sign") == 1


def test_the_refusal_is_translated(petition):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/ru/petitions/{petition.slug}/sign/",
        sign_data(),
        headers={"Sec-Fetch-Site": "cross-site"},
    )

    assert response.status_code == 403
    assert "Пожалуйста, попробуйте ещё раз" in response.content.decode()


def test_the_emailed_links_buttons_keep_the_token_check(petition):
    from signatures import links
    from tests.factories import make_signature

    signature = make_signature(petition)
    url = f"/en/signatures/confirm/{links.CONFIRM.token(signature.pk)}/"
    client = Client(enforce_csrf_checks=True)

    page = client.get(url)
    refused = client.post(url, headers={"Sec-Fetch-Site": "same-origin"})

    assert b"csrfmiddlewaretoken" in page.content
    assert refused.status_code == 403
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING
