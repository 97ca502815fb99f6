"""Language choice: the root redirect, the switcher, fallbacks and error pages."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from tests.factories import make_petition


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("en-US,en;q=0.9", "/en/"),
        ("ru-RU,ru;q=0.9,en;q=0.5", "/ru/"),
        ("ky-KG,ky;q=0.9", "/ru/"),
        ("de-DE", "/ru/"),
        (None, "/ru/"),
    ],
)
def test_the_root_redirects_by_accept_language_with_russian_as_default(
    client, seeded_petition, accept_language, expected
):
    headers = {"Accept-Language": accept_language} if accept_language else {}

    response = client.get("/", headers=headers)

    assert response.status_code == 302
    assert response["Location"] == expected


def test_the_language_switch_keeps_the_visitor_on_the_same_page(client, seeded_petition):
    slug = seeded_petition.slug

    html = client.get(f"/ru/petitions/{slug}/").content.decode()

    assert f'<a href="http://testserver/en/petitions/{slug}/" hreflang="en" lang="en">' in html
    assert '<span aria-current="true" lang="ru">Русский</span>' in html


def test_a_missing_translation_falls_back_instead_of_showing_nothing(client, db):
    petition = make_petition(
        title_en="Only in English", lead_en="An English lead.", title_ru="", lead_ru=""
    )
    petition.reasons.create(position=1, text_en="An untranslated reason")

    html = client.get(f"/ru/petitions/{petition.slug}/").content.decode()

    assert "<h1>Only in English</h1>" in html
    assert "An English lead." in html
    assert "An untranslated reason" in html


@pytest.mark.parametrize(
    ("language", "message"), [("en", "Page not found"), ("ru", "Страница не найдена")]
)
def test_an_unknown_page_is_a_translated_404(client, db, language, message):
    response = client.get(f"/{language}/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert f"<h1>{message}</h1>" in html
    assert f'<html lang="{language}">' in html


@pytest.mark.parametrize(
    ("language", "message"), [("en", "Something went wrong"), ("ru", "Что-то пошло не так")]
)
def test_the_500_page_is_translated_and_renders_without_a_request_context(db, language, message):
    request = RequestFactory().get(f"/{language}/")

    with translation.override(language):
        response = server_error(request)

    assert response.status_code == 500
    assert message in response.content.decode()


def test_a_draft_petition_is_not_public(client, db):
    draft = make_petition(status="draft")

    assert client.get(f"/en/petitions/{draft.slug}/").status_code == 404
    assert client.get("/en/").status_code == 404


def test_a_closed_petition_says_so(client, db):
    closed = make_petition(status="closed")

    html = client.get(f"/en/petitions/{closed.slug}/").content.decode()

    assert "<strong>closed</strong>" in html
