"""Organizers edit the petition in Django admin, one tab per language."""

import re

from django.urls import reverse

from tests.html import form_data


def _change_url(petition):
    return reverse("admin:petitions_petition_change", args=[petition.pk])


def test_the_change_page_has_a_tab_for_each_language(organizer_client, seeded_petition):
    response = organizer_client.get(_change_url(seeded_petition))

    assert response.status_code == 200
    html = response.content.decode()
    for field in ("title_en", "title_ru", "quote_en", "quote_ru"):
        assert f'name="{field}"' in html
    # Reasons and demands are edited inline, with their position.
    assert 'name="reasons-0-position"' in html
    assert 'name="reasons-0-text_ru"' in html
    assert 'name="demands-2-text_en"' in html


def test_the_admin_loads_jquery_ui_from_our_own_static_files(organizer_client, seeded_petition):
    html = organizer_client.get(_change_url(seeded_petition)).content.decode()

    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert any("vendor/jquery-ui/jquery-ui.min" in src for src in scripts)
    assert [src for src in scripts if src.startswith("//") or "://" in src] == []


def test_an_organizer_can_save_a_russian_edit(organizer_client, seeded_petition):
    url = _change_url(seeded_petition)
    data = form_data(organizer_client.get(url).content.decode())
    data["title_ru"] = "Новый заголовок"
    data["reasons-0-text_ru"] = "Первая причина, исправленная"

    response = organizer_client.post(url, data)

    assert response.status_code == 302
    seeded_petition.refresh_from_db()
    assert seeded_petition.title_ru == "Новый заголовок"
    assert seeded_petition.title_en == "Stop the criminalization of sex work in Kyrgyzstan"
    assert seeded_petition.reasons.first().text_ru == "Первая причина, исправленная"
    assert seeded_petition.reasons.count() == 10
