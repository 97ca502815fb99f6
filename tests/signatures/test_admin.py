"""Organizers run the campaign from Django admin: signatures, actions, export, statistics."""

import csv
import io
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from signatures import signing
from signatures.counting import public_count
from signatures.models import Signature
from tests.factories import make_petition, make_signature
from tests.organizers import verify

CHANGELIST = "/admin/signatures/signature/"


@pytest.fixture(autouse=True)
def _english(client, organizer_client):
    """Admin follows the browser's language; these tests read it in English."""
    for each in (client, organizer_client):
        each.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _staff(client, *permissions):
    """A staff member with only `permissions`, logged in with their second factor."""
    user = User.objects.create_user("staff", password="a-long-password-1", is_staff=True)
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return verify(client, user, user.totpdevice_set.create(name="phone", confirmed=True))


@pytest.fixture
def signed(petition):
    return [
        make_signature(
            petition,
            email="aigul@example.org",
            name="Aigul Mamatova",
            status="confirmed",
            region="osh",
        ),
        make_signature(petition, email="bakyt@example.org", name="Bakyt Usenov", status="pending"),
        make_signature(
            petition,
            email="=cmd@example.org",
            name='=HYPERLINK("x")',
            status="confirmed",
            region="naryn",
        ),
    ]


def test_the_list_shows_status_region_language_and_filters(organizer_client, signed):
    response = organizer_client.get(CHANGELIST)

    html = response.content.decode()
    assert response.status_code == 200
    for field in ("status", "city or region", "language", "name shown publicly"):
        assert f'data-filter-title="{field}"' in html
    assert "Aigul Mamatova" in html


def test_an_exact_email_is_found_through_its_hash(organizer_client, signed):
    html = organizer_client.get(CHANGELIST, {"q": "AIGUL@example.org"}).content.decode()

    assert "Aigul Mamatova" in html
    assert "Bakyt Usenov" not in html


def test_the_email_is_shown_only_with_the_export_permission(client, signed):
    url = f"{CHANGELIST}{signed[0].pk}/change/"

    viewer = _staff(client, "view_signature")
    assert "aigul@example.org" not in viewer.get(url).content.decode()

    User.objects.get(username="staff").user_permissions.add(
        Permission.objects.get(codename="export_emails")
    )
    assert "aigul@example.org" in viewer.get(url).content.decode()


def test_nothing_can_be_added_or_deleted_by_hand(organizer_client, signed):
    assert organizer_client.get(f"{CHANGELIST}add/").status_code == 403
    assert organizer_client.get(f"{CHANGELIST}{signed[0].pk}/delete/").status_code == 403


def test_invalidating_asks_for_a_reason_then_uncounts(organizer_client, petition, signed):
    action = {"action": "invalidate_action", "_selected_action": [signed[0].pk]}

    page = organizer_client.post(CHANGELIST, action)
    assert "Reason" in page.content.decode()
    assert public_count(petition) == 2

    organizer_client.post(CHANGELIST, {**action, "apply": "1", "reason": "Duplicate person"})

    signed[0].refresh_from_db()
    assert signed[0].status == Signature.Status.INVALIDATED
    assert signed[0].invalidation_reason == "Duplicate person"
    assert public_count(petition) == 1


def test_restoring_counts_a_confirmed_signature_again(organizer_client, petition, signed):
    signing.invalidate(Signature.objects.filter(pk=signed[0].pk), "x")

    organizer_client.post(
        CHANGELIST, {"action": "restore_action", "_selected_action": [signed[0].pk]}
    )

    signed[0].refresh_from_db()
    assert signed[0].status == Signature.Status.CONFIRMED
    assert public_count(petition) == 2


def test_restoring_a_flagged_signature_sends_its_first_email(organizer_client, petition):
    flagged = make_signature(petition, status="flagged")

    organizer_client.post(
        CHANGELIST, {"action": "restore_action", "_selected_action": [flagged.pk]}
    )

    flagged.refresh_from_db()
    assert flagged.status == Signature.Status.PENDING
    assert flagged.emails_sent == 1
    assert DBTaskResult.objects.count() == 1


def test_resending_respects_the_five_email_cap(organizer_client, signed):
    Signature.objects.filter(pk=signed[1].pk).update(emails_sent=4)
    action = {"action": "resend_action", "_selected_action": [signed[1].pk]}

    organizer_client.post(CHANGELIST, action)
    organizer_client.post(CHANGELIST, action)

    signed[1].refresh_from_db()
    assert signed[1].emails_sent == 5
    assert DBTaskResult.objects.count() == 1


def test_bulk_invalidation_previews_then_invalidates_one_source(organizer_client, petition):
    now = timezone.localtime()
    for number in range(4):
        make_signature(
            petition,
            email=f"bot{number}@spam.example",
            status="confirmed",
            ip_hash="a" * 64,
            email_domain="spam.example",
        )
    make_signature(petition, email="human@example.org", status="confirmed", ip_hash="b" * 64)
    form = {
        "ip_hash": "a" * 64,
        "since": (now - timezone.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S"),
        "until": (now + timezone.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S"),
        "reason": "Bot attack",
    }

    preview = organizer_client.post(f"{CHANGELIST}bulk-invalidate/", {**form, "preview": "1"})
    html = preview.content.decode()
    assert "This will invalidate 4 signatures." in html
    assert public_count(petition) == 5

    organizer_client.post(f"{CHANGELIST}bulk-invalidate/", {**form, "confirm": "1"})

    assert public_count(petition) == 1
    assert Signature.objects.filter(invalidation_reason="Bot attack").count() == 4


def test_trending_sources_show_a_burst_from_one_address(organizer_client, petition):
    for number in range(12):
        make_signature(
            petition,
            email=f"burst{number}@mail.example",
            ip_hash="c" * 64,
            email_domain="mail.example",
        )

    html = organizer_client.get(f"{CHANGELIST}trending/").content.decode()

    assert "cccccccccccccccc" in html
    assert "mail.example" in html
    assert "<td>12</td>" in html


def _export(client, petition, **params):
    response = client.get(
        f"{CHANGELIST}export/", {"petition": petition.pk, "delimiter": "comma", **params}
    )
    body = b"".join(response.streaming_content).decode("utf-8")
    return response, body


def test_the_export_streams_confirmed_signatures_safely_for_spreadsheets(
    organizer_client, petition, signed
):
    response, body = _export(organizer_client, petition)

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows[0] == ["Name", "City or region", "Date signed", "Language"]
    assert sorted(row[0] for row in rows[1:]) == ['\'=HYPERLINK("x")', "Aigul Mamatova"]
    assert "Bakyt" not in body
    assert "@" not in body


def test_emails_are_exported_only_when_asked_and_permitted(
    client, organizer_client, petition, signed
):
    _, with_email = _export(organizer_client, petition, include_email="on")
    assert "aigul@example.org" in with_email
    assert "'=cmd@example.org" in with_email

    viewer = _staff(client, "view_signature")
    _, without = _export(viewer, petition, include_email="on")
    assert "@" not in without


def test_the_export_is_recorded_in_the_admin_log(organizer_client, petition, signed):
    _export(organizer_client, petition)

    entry = LogEntry.objects.get()
    assert entry.object_id == str(petition.pk)
    assert entry.change_message == "Exported 2 confirmed signatures as CSV"


def test_a_russian_export_opens_with_cyrillic_and_semicolons(organizer_client, petition):
    make_signature(petition, name="Айгүл Өмүрбекова", status="confirmed", region="bishkek")

    response = organizer_client.get(
        f"{CHANGELIST}export/",
        {"petition": petition.pk, "delimiter": "semicolon"},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")

    assert body.splitlines()[1].startswith("Айгүл Өмүрбекова;")


def test_moderation_and_export_need_permissions(client, petition, signed):
    outsider = _staff(client)

    assert outsider.get(CHANGELIST).status_code == 403
    assert outsider.get(f"{CHANGELIST}export/", {"petition": petition.pk}).status_code == 403
    assert outsider.get(f"{CHANGELIST}statistics/").status_code == 403
    assert outsider.get(f"{CHANGELIST}bulk-invalidate/").status_code == 403


def test_the_statistics_page_draws_a_chart_from_real_rows(organizer_client, petition, signed):
    html = organizer_client.get(f"{CHANGELIST}statistics/").content.decode()

    assert "<svg" in html
    assert html.count("<rect") == 60
    today = timezone.localdate().isoformat()
    assert f"<title>{today}: 2</title>" in html
    assert "Confirmation rate" in html
    assert "67 %" in html
    assert "Osh Region" in html
    assert "Comments awaiting moderation" in html


def test_a_chart_of_empty_days_says_its_highest_day_is_zero(organizer_client, petition):
    html = organizer_client.get(f"{CHANGELIST}statistics/").content.decode()

    assert "Highest day: 0." in html
    assert html.count('height="0.0"') == 60


@pytest.mark.parametrize("action", ["close_action", "reopen_action"])
def test_organizers_open_and_close_petitions(organizer_client, db, action):
    petition = make_petition(status="open" if action == "close_action" else "closed")

    organizer_client.post(
        "/admin/petitions/petition/", {"action": action, "_selected_action": [petition.pk]}
    )

    petition.refresh_from_db()
    if action == "close_action":
        assert petition.status == "closed"
        assert petition.closed_at is not None
        assert not petition.is_open
    else:
        assert petition.status == "open"
        assert petition.closed_at is None


def test_the_chart_draws_in_russian_too(organizer_client, petition, signed):
    html = organizer_client.get(
        f"{CHANGELIST}statistics/", HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()

    heights = re.findall(r'<rect x="[^"]+" y="[^"]+" width="([^"]+)" height="([^"]+)"', html)
    assert len(heights) == 60
    assert all("," not in width + height for width, height in heights)


def test_the_bulk_invalidation_link_shows_for_those_who_may_use_it(
    organizer_client, client, signed
):
    assert "bulk-invalidate/" in organizer_client.get(CHANGELIST).content.decode()
    assert (
        "bulk-invalidate/" not in _staff(client, "view_signature").get(CHANGELIST).content.decode()
    )


@pytest.mark.parametrize("chosen", ["abc", "-1", "99999999999999999999", ""])
def test_a_bad_petition_choice_on_the_statistics_page_shows_all_petitions(
    organizer_client, signed, chosen
):
    other = make_petition(slug="other")
    make_signature(other, email="other@example.org", status="confirmed")
    statistics = f"{CHANGELIST}statistics/"

    response = organizer_client.get(statistics, {"petition": chosen})

    def summary(html):
        return html[html.index('<div class="stats-grid">') :]

    html = response.content.decode()
    all_petitions = organizer_client.get(statistics).content.decode()
    one_petition = organizer_client.get(statistics, {"petition": other.pk}).content.decode()
    assert response.status_code == 200
    assert " selected>" not in html
    assert summary(html) == summary(all_petitions) != summary(one_petition)


def test_the_russian_list_counts_without_a_wrong_plural(organizer_client, petition):
    for number in range(5):
        make_signature(petition, email=f"signer{number}@example.org")

    html = organizer_client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "Подписи: 5" in html
    assert "5 подписи" not in html  # Django's own: the count, then the plural name


def test_languages_are_listed_and_filtered_by_name(organizer_client, petition):
    make_signature(petition, email="english@example.org", language="en", name="English Signer")
    make_signature(petition, email="russian@example.org", language="ru", name="Русский Подписант")

    listing = organizer_client.get(CHANGELIST).content.decode()
    russian_only = organizer_client.get(CHANGELIST, {"language": "ru"}).content.decode()

    assert '<a href="?language=ru">Русский</a>' in listing
    assert '<td class="field-language_name">English</td>' in listing
    assert "Русский Подписант" in russian_only
    assert "English Signer" not in russian_only
