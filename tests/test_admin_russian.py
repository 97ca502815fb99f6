"""The admin in Russian: model names in a form Russian can carry, in every kind of admin page.

Django puts a model's name, in the nominative, into "Change %s" or "Add another %s", which
Russian would decline ("Изменить петицию"); the project's catalogue reshapes those sentences
so that the nominative is right.
"""

import json
import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from signatures.models import Mailing, MailingDelivery, ModerationSettings, Signature
from tests.factories import make_signature

RU = {"HTTP_ACCEPT_LANGUAGE": "ru"}


def _get(client, url):
    response = client.get(url, **RU)
    assert response.status_code == 200, url
    return response.content.decode()


def _text(html):
    return unescape(re.sub(r"<[^>]+>", " ", re.sub(r"\s+", " ", html))).strip()


def _breadcrumbs(html):
    [trail] = re.findall(r'<ol class="breadcrumbs">(.*?)</ol>', html, re.S)
    return [_text(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", trail, re.S)]


def _heading(html):
    return _text(re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1))


def test_the_change_page_is_titled_with_the_model_after_a_colon(organizer_client, petition):
    html = _get(organizer_client, reverse("admin:petitions_petition_change", args=[petition.pk]))

    assert _heading(html) == "Изменение: петиция"
    assert "Изменить петиция" not in html


def test_the_list_and_add_pages_are_titled_the_same_way(organizer_client, petition):
    changelist = _get(organizer_client, reverse("admin:petitions_petition_changelist"))
    add = _get(organizer_client, reverse("admin:petitions_petition_add"))

    assert _heading(changelist) == "Выбор для изменения: петиция"
    assert "Добавить: петиция" in _text(changelist)
    assert _heading(add) == "Добавление: петиция"
    assert "Выбрано 0 из 1" in _text(changelist)


def test_an_inline_offers_to_add_another_part_in_the_nominative(organizer_client, petition):
    html = _get(organizer_client, reverse("admin:petitions_petition_change", args=[petition.pk]))

    add_texts = [
        json.loads(unescape(data))["options"]["addText"]
        for data in re.findall(r'data-inline-formset="([^"]*)"', html)
    ]
    assert add_texts == [
        "Адресат: добавить ещё",
        "Последствие: добавить ещё",
        "Причина: добавить ещё",
        "Требование: добавить ещё",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "admin:petitions_petition_changelist",
        "admin:signatures_signature_changelist",
        "admin:signatures_comment_changelist",
        "admin:otp_totp_totpdevice_changelist",
        "admin:otp_static_staticdevice_changelist",
        "admin:axes_accessattempt_changelist",
        "admin:axes_accessfailurelog_changelist",
        "admin:django_tasks_database_dbtaskresult_changelist",
        "admin:auth_user_changelist",
    ],
)
def test_no_breadcrumb_repeats_the_section_it_is_in(organizer_client, url):
    crumbs = _breadcrumbs(_get(organizer_client, reverse(url)))

    assert crumbs[0] == "Главная"
    assert len(crumbs) == 3
    assert crumbs[1].casefold() != crumbs[2].casefold(), crumbs


def test_the_petition_breadcrumb_reads_campaign_then_petitions(organizer_client, petition):
    html = _get(organizer_client, reverse("admin:petitions_petition_change", args=[petition.pk]))

    assert _breadcrumbs(html) == ["Главная", "Кампания", "Петиции", "Чистый воздух для Бишкека"]


def test_the_statistics_name_the_signers_languages(organizer_client, petition):
    for number, language in enumerate(["ru", "ru", "en"]):
        make_signature(
            petition,
            email=f"signer{number}@example.org",
            language=language,
            status=Signature.Status.CONFIRMED,
        )

    html = _get(organizer_client, reverse("admin:signatures_signature_stats"))

    [by_language] = re.findall(r"По языкам</h2>\s*<table>(.*?)</table>", html, re.S)
    rows = re.findall(r'<th scope="row">([^<]*)</th><td>(\d+)</td>', by_language)
    assert rows == [("Русский", "2"), ("English", "1")]


def test_the_delete_confirmation_names_the_object_and_its_kind(organizer_client, organizer):
    device = organizer.totpdevice_set.get()

    html = _get(organizer_client, reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]))

    assert "Удалить объект «phone (organizer)» (TOTP-устройство)?" in _text(html)
    assert "Да, удалить" in html


def test_the_authenticator_app_pages_are_in_russian(organizer_client, organizer):
    device = organizer.totpdevice_set.get()

    change = _text(
        _get(organizer_client, reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    )
    config = _text(
        _get(organizer_client, reverse("admin:otp_totp_totpdevice_config", args=[device.pk]))
    )

    assert "Изменение: TOTP-устройство" in change
    for label in ("Устройство", "Защита от подбора", "Секретный ключ", "Показать QR-код"):
        assert label in change
    for english in ("Identity", "Throttling", "The time step in seconds", "qrcode"):
        assert english not in change
    assert "Отсканируйте QR-код приложением-аутентификатором" in config


def test_the_time_zone_note_of_date_fields_is_in_russian(organizer_client):
    catalog = _get(organizer_client, reverse("admin:jsi18n"))

    # The catalogue is JSON, its Cyrillic escaped.
    assert json.dumps("Ваши часы отстают от него на %(offset)s часа.")[1:-1] in catalog
    assert json.dumps("сервера")[1:-1] in catalog


def test_the_moderation_rules_page_does_not_repeat_its_name(organizer_client):
    rules = ModerationSettings.load()
    html = _get(
        organizer_client, reverse("admin:signatures_moderationsettings_change", args=[rules.pk])
    )

    crumbs = _breadcrumbs(html)
    assert crumbs[2:] == ["Настройки модерации", "Правила для комментариев"]


def test_a_sent_mailing_and_a_sent_copy_agree_with_their_nouns():
    with translation.override("ru"):
        assert str(Mailing.Status.SENT.label) == "Отправлена"  # рассылка
        assert str(MailingDelivery.Status.SENT.label) == "Отправлено"  # письмо


def test_a_day_and_month_read_in_the_genitive():
    with translation.override("ru"):
        assert date_format(date(2026, 11, 20), "MONTH_DAY_FORMAT") == "20 ноября"
        assert date_format(date(2026, 11, 20), "DATE_FORMAT") == "20 ноября 2026 г."


def test_the_statistics_head_their_counts_in_the_plural(organizer_client, petition):
    make_signature(petition, status="confirmed")

    page = organizer_client.get(
        "/admin/signatures/signature/statistics/", HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()

    assert '<th scope="row">Подтверждённые</th><td>1</td>' in page
    assert '<th scope="row">Ожидающие подтверждения</th><td>0</td>' in page
