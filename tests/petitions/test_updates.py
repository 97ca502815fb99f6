"""Organizers post dated updates in admin; published ones reach the page and its Atom feed."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone

from petitions.models import Update
from tests.factories import post_update_draft, publish_update
from tests.html import form_data

ADD_URL = "/admin/petitions/update/add/"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def visitor():
    """Someone other than the organizer, who sees no admin messages."""
    return Client()


def _feed_titles(client, petition, language):
    response = client.get(f"/{language}/petitions/{petition.slug}/updates.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]


def test_the_add_form_starts_from_the_featured_petition(organizer_staff, petition):
    petition.is_featured = True
    petition.save()

    data = form_data(organizer_staff.get(ADD_URL).content.decode())

    assert data["petition"] == str(petition.pk)


def test_a_draft_appears_nowhere_public(organizer_staff, visitor, petition):
    update = post_update_draft(organizer_staff, petition)

    assert update.status == Update.Status.DRAFT
    assert update.published_at is None
    for language in ("en", "ru"):
        page = visitor.get(f"/{language}/petitions/{petition.slug}/").content.decode()
        assert "Жогорку Кенеш" not in page
        assert "Jogorku Kenesh" not in page
        assert 'id="updates"' not in page
        assert _feed_titles(visitor, petition, language) == []


def test_a_published_update_is_dated_and_shown_in_each_language(organizer_staff, visitor, petition):
    before = timezone.now()
    update = publish_update(organizer_staff, post_update_draft(organizer_staff, petition))

    assert update.status == Update.Status.PUBLISHED
    assert before <= update.published_at <= timezone.now()
    english = visitor.get(f"/en/petitions/{petition.slug}/").content.decode()
    russian = visitor.get(f"/ru/petitions/{petition.slug}/").content.decode()
    # Near the top, linking to the whole update below the text.
    assert f'<a href="#update-{update.pk}">We handed the signatures' in english
    assert f'<a href="#update-{update.pk}">Мы передали подписи' in russian
    assert f'id="update-{update.pk}"' in english
    assert "<p>Thank you to everyone who signed.</p>" in english
    assert "<p>Спасибо всем, кто подписал петицию.</p>" in russian
    assert "Jogorku Kenesh" not in russian


def test_the_feed_carries_the_update_in_the_language_of_its_address(
    organizer_staff, visitor, petition
):
    publish_update(organizer_staff, post_update_draft(organizer_staff, petition))

    assert _feed_titles(visitor, petition, "en") == [
        "We handed the signatures to the Jogorku Kenesh"
    ]
    assert _feed_titles(visitor, petition, "ru") == ["Мы передали подписи в Жогорку Кенеш"]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_page_links_its_feed_for_feed_readers(client, petition, language):
    html = client.get(f"/{language}/petitions/{petition.slug}/").content.decode()

    assert (
        '<link rel="alternate" type="application/atom+xml" '
        f'href="/{language}/petitions/{petition.slug}/updates.atom"'
    ) in html


def test_the_newest_update_comes_first_and_a_set_date_is_kept(client, petition):
    now = timezone.now()
    older = Update.objects.create(
        petition=petition,
        status="published",
        published_at=now - datetime.timedelta(days=3),
        title_en="Older",
        text_en="…",
    )
    newer = Update.objects.create(
        petition=petition, status="published", published_at=now, title_en="Newer", text_en="…"
    )
    Update.objects.create(petition=petition, title_en="Draft", text_en="…")

    html = client.get(f"/en/petitions/{petition.slug}/").content.decode()

    assert f'<a href="#update-{newer.pk}">' in html
    assert f'<a href="#update-{older.pk}">' not in html
    assert html.index(f'id="update-{newer.pk}"') < html.index(f'id="update-{older.pk}"')
    assert _feed_titles(client, petition, "en") == ["Newer", "Older"]


def test_organizers_text_is_shown_as_text_not_markup(client, petition):
    Update.objects.create(
        petition=petition,
        status="published",
        published_at=timezone.now(),
        title_en="<b>Bold</b>",
        text_en="<script>alert(1)</script>",
    )

    html = client.get(f"/en/petitions/{petition.slug}/").content.decode()
    feed = client.get(f"/en/petitions/{petition.slug}/updates.atom").content.decode()

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html
    # The feed's summary is HTML escaped once more for XML: readers show the text as typed.
    assert "&amp;lt;script&amp;gt;" in feed


def test_the_database_refuses_a_published_update_without_a_date(petition):
    with pytest.raises(IntegrityError):
        Update.objects.create(petition=petition, status="published", title_en="x", text_en="y")


def test_a_draft_petition_has_no_feed(client, petition):
    petition.status = "draft"
    petition.save()

    assert client.get(f"/en/petitions/{petition.slug}/updates.atom").status_code == 404
