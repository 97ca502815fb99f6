"""Paper signatures: a CSV checked row by row, entered once by an organizer, counted apart."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from signatures import counting, signing
from signatures.models import PaperBatch, Signature, Source
from tests.factories import make_signature

URL = "/admin/signatures/signature/paper/"
GOOD = (
    "name,region,date,sheet\n"
    "Айгуль Касымова,Бишкек,2026-11-20,12\n"
    "Nurlan Osmonov,osh,21.11.2026,12\n"
    "Бермет Ж.,Talas Region,2026-11-22,13\n"
)


def upload(client, petition, content, **extra):
    data = {"petition": petition.pk, "file": SimpleUploadedFile("sheets.csv", content.encode())}
    return client.post(URL, {**data, **extra})


def confirm(client, petition, preview):
    form = preview.context["form"]
    return client.post(
        URL,
        {
            "petition": petition.pk,
            "text": form.initial["text"],
            "filename": form.initial["filename"],
            "confirm": "1",
        },
    )


def test_the_preview_shows_every_row_and_stores_nothing(organizer_staff, petition):
    response = upload(organizer_staff, petition, GOOD)

    assert response.status_code == 200
    sheet = response.context["sheet"]
    assert sheet.valid and len(sheet.rows) == 3
    assert [row.data["region"] for row in sheet.rows] == ["bishkek", "osh", "talas"]
    assert "3 signatures are ready to be entered." in response.text
    assert not Signature.objects.exists() and not PaperBatch.objects.exists()


def test_each_bad_row_gets_its_own_error(organizer_staff, petition):
    content = (
        "Айгуль Касымова,Атлантида,2026-11-20,12\n"
        "Nurlan Osmonov,osh,31.02.2026,12\n"
        ",chuy,2026-11-22,13\n"
        "=HYPERLINK(1),chuy,2026-11-22,13\n"
        "Ok Name,chuy,2026-11-22\n"
        "Good Name,chuy,2026-11-22,14\n"
    )
    response = upload(organizer_staff, petition, content)

    sheet = response.context["sheet"]
    assert not sheet.valid and sheet.error_count == 5
    errors = [" ".join(row.errors) for row in sheet.rows]
    assert "Unknown city or region “Атлантида”; write one of: Bishkek, Osh city," in errors[0]
    assert "Date: Enter a valid date." in errors[1]
    assert "Name: This field is required." in errors[2]
    assert "cannot start with =" in errors[3]
    assert "Expected 4 columns" in errors[4]
    assert errors[5] == ""
    assert 'name="confirm"' not in response.text
    assert not Signature.objects.exists()


def test_row_errors_are_in_russian_for_a_russian_organizer(organizer_staff, petition):
    organizer_staff.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    response = upload(organizer_staff, petition, "Айгуль Касымова,Атлантида,2026-11-20,12\n")

    assert (
        "Не удалось распознать город или область «Атлантида»; укажите одно из значений: "
        "Бишкек, город Ош," in response.text
    )
    assert "строке есть ошибки" in response.text


def test_a_file_that_is_not_utf8_is_refused_with_a_message(organizer_staff, petition):
    data = {"petition": petition.pk, "file": SimpleUploadedFile("a.csv", GOOD.encode("cp1251"))}
    response = organizer_staff.post(URL, data)

    assert response.status_code == 200
    assert "CSV UTF-8" in response.text
    assert not Signature.objects.exists()


def test_confirming_enters_confirmed_paper_signatures_once(organizer_staff, petition):
    preview = upload(organizer_staff, petition, GOOD)

    response = confirm(organizer_staff, petition, preview)
    again = confirm(organizer_staff, petition, preview)

    assert response.status_code == 302 and again.status_code == 302
    assert Signature.objects.count() == 3
    batch = PaperBatch.objects.get()
    assert batch.entered_by.username == "staffer" and batch.filename == "sheets.csv"
    signature = Signature.objects.get(name="Nurlan Osmonov")
    assert signature.source == Source.PAPER and signature.sheet == "12"
    assert signature.status == Signature.Status.CONFIRMED and signature.email_hash == ""
    assert signature.confirmed_at.date().isoformat() == "2026-11-21"
    assert LogEntry.objects.filter(change_message__startswith="Entered 3 paper").count() == 1
    # Paper signers have no email: nothing is queued for them.
    assert not DBTaskResult.objects.exists()


def test_paper_signatures_count_apart_and_in_the_total(organizer_staff, client, petition):
    make_signature(petition, status=Signature.Status.CONFIRMED)
    confirm(organizer_staff, petition, upload(organizer_staff, petition, GOOD))

    figures = client.get(f"/petitions/{petition.slug}/count.json").json()
    assert figures["confirmed_count"] == 4 and figures["paper_count"] == 3
    assert counting.source_counts(petition) == {"online": 1, "paper": 3}
    page = client.get(f"/en/petitions/{petition.slug}/")
    assert "1 online + 3 on paper" in page.text
    counting.fold()
    counting.rebuild()
    assert counting.source_counts(petition) == {"online": 1, "paper": 3}


def test_paper_signatures_can_be_invalidated(organizer_staff, petition):
    confirm(organizer_staff, petition, upload(organizer_staff, petition, GOOD))

    signing.invalidate(Signature.objects.filter(sheet="13"), "Illegible")

    assert counting.public_count(petition) == 2
    assert counting.source_counts(petition)["paper"] == 2


@pytest.mark.parametrize("user", ["moderator_staff", "client"])
def test_only_organizers_enter_paper_signatures(request, user, petition):
    browser = request.getfixturevalue(user)

    assert upload(browser, petition, GOOD).status_code in (302, 403)
    assert browser.get(URL).status_code in (302, 403)
    assert not Signature.objects.exists()


def test_a_moderator_is_refused(moderator_staff, petition):
    assert moderator_staff.get(URL).status_code == 403


def test_the_statistics_show_paper_signatures_under_their_own_name(organizer_staff, petition):
    confirm(organizer_staff, petition, upload(organizer_staff, petition, GOOD))

    page = organizer_staff.get("/admin/signatures/signature/statistics/", {"petition": petition.pk})

    assert page.context["stats"]["by_language"] == [("On paper", 3)]


def test_the_confirmation_rate_is_of_online_signers_only(organizer_staff, petition):
    confirm(organizer_staff, petition, upload(organizer_staff, petition, GOOD))
    make_signature(petition, email="confirmed@example.org", status="confirmed")
    make_signature(petition, email="pending@example.org", status="pending")

    page = organizer_staff.get("/admin/signatures/signature/statistics/", {"petition": petition.pk})

    assert page.context["stats"]["confirmation_rate"] == 50  # not 4 of 5, 80


def test_a_file_too_large_or_unreadable_as_csv_is_refused_with_a_message(organizer_staff, petition):
    too_large = upload(organizer_staff, petition, "Aigul K.,osh,2026-11-20,1\n" * 90_000)
    unreadable = upload(organizer_staff, petition, f'"{"x" * 200_000}",osh,2026-11-20,1\n')

    assert too_large.status_code == 200 and "larger than 2 MB" in too_large.text
    assert unreadable.status_code == 200 and "cannot be read as CSV" in unreadable.text
    assert not Signature.objects.exists()
