"""The page names who runs the petition, since when and how to reach them; nothing invented."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from petitions import logos
from tests.factories import image_file, make_organization, make_petition


@pytest.fixture
def full_organization(db):
    organization = make_organization(
        name_en="Example Network",
        name_ru="Сеть «Пример»",
        about_en="Sex workers and allies since 2004.",
        about_ru="Секс-работники и секс-работницы и их союзники с 2004 года.",
        email="hello@example.org",
        website="https://example.org",
        telegram="https://t.me/example",
    )
    organization.set_logo(logos.shrink(image_file(size=(400, 200))))
    organization.save()
    return organization


def _page(client, petition, language):
    return client.get(f"/{language}/petitions/{petition.slug}/").content.decode()


def _header(html):
    return re.search(r'<header class="site-header">(.*?)</header>', html, re.S).group(1)


@pytest.mark.parametrize(
    ("language", "home", "byline"),
    [
        ("en", "Petition", "Started on March\xa08,\xa02026"),
        ("ru", "Петиция", "Сбор подписей начат 8\xa0марта\xa02026\xa0г."),
    ],
)
def test_with_no_organization_the_page_says_only_what_it_knows(
    client, petition, language, home, byline
):
    petition.started_on = datetime.date(2026, 3, 8)
    petition.save()

    html = _page(client, petition, language)

    assert f">{home}</a>" in _header(html)
    assert "<img" not in _header(html)
    assert f'<p class="byline">{byline}</p>' in html
    assert "byline__contact" not in html
    assert 'class="organization"' not in html


@pytest.mark.parametrize(
    ("language", "name", "byline", "about"),
    [
        (
            "en",
            "Example Network",
            "Started by Example Network on March\xa08,\xa02026",
            "Sex workers and allies since 2004.",
        ),
        (
            "ru",
            "Сеть «Пример»",
            "Автор петиции — Сеть «Пример», 8\xa0марта\xa02026\xa0г.",
            "Секс-работники и секс-работницы и их союзники с 2004 года.",
        ),
    ],
)
def test_the_organization_of_the_petition_is_named_with_its_logo_contact_and_links(
    client, full_organization, language, name, byline, about
):
    petition = make_petition(organization=full_organization, started_on=datetime.date(2026, 3, 8))

    html = _page(client, petition, language)

    header = _header(html)
    assert (
        f'<img class="site-header__logo" src="{full_organization.logo_url()}" '
        'width="240" height="120" alt="">'
    ) in header
    assert f'<span class="site-header__name">{name}</span>' in header.replace("&laquo;", "«")
    text = html.replace("&laquo;", "«").replace("&raquo;", "»")
    assert f'<p class="byline">{byline}' in text
    assert 'href="mailto:hello@example.org"' in html
    assert f"<p>{about}</p>" in text
    assert '<a href="https://t.me/example">Telegram</a>' in html
    assert '<a href="https://example.org">' in html
    assert "instagram" not in html.lower()


def test_a_name_alone_shows_no_empty_section(client, db):
    petition = make_petition(organization=make_organization(name_en="Example Network"))

    html = _page(client, petition, "en")

    assert "Started by Example Network on" in html
    assert "<img" not in _header(html)
    assert 'class="organization"' not in html
    assert "byline__contact" not in html


def test_the_site_default_speaks_for_a_petition_without_its_own(client, db):
    make_organization(name_en="Default Network", is_default=True)
    own = make_petition(organization=make_organization(name_en="Own Network"))
    other = make_petition()

    assert "Started by Own Network" in _page(client, own, "en")
    assert "Started by Default Network" in _page(client, other, "en")


def test_pages_of_no_petition_show_the_featured_petitions_organization(client, db):
    make_organization(name_en="Default Network", is_default=True)
    make_petition(is_featured=True, organization=make_organization(name_en="Featured Network"))

    html = client.get("/en/privacy/").content.decode()

    assert "Featured Network" in _header(html)


def test_the_server_error_page_names_no_organization_and_asks_no_database(db):
    make_organization(name_en="Default Network", is_default=True)

    html = render_to_string("500.html")

    assert ">Petition</a>" in _header(html)


def test_a_new_petition_starts_on_the_day_it_is_created(db):
    assert make_petition().started_on == timezone.localdate()
