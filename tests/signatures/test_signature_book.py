"""The signature book: a PDF of the text and the confirmed signers, for organizers only."""

import io
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone
from pypdf import PdfReader

from signatures import paper
from signatures.models import SignatureBook
from tests.factories import make_signature

URL = "/admin/signatures/signature/book/"


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return [page.extract_text() for page in reader.pages]


@pytest.fixture
def signers(petition, organizer):
    make_signature(
        petition, email="aigul@example.org", name="Aigul Kasymova", status="confirmed", region="osh"
    )
    make_signature(petition, email="bakyt@example.org", name="Bakyt Usenov", status="confirmed")
    make_signature(petition, email="pending@example.org", name="Pending Person")
    make_signature(
        petition,
        email="gone@example.org",
        name="Invalid Person",
        status="invalidated",
        confirmed_at=timezone.now(),
    )
    sheet = paper.read("Нурлан Осмонов,Ошская область,2026-11-20,7\n")
    paper.enter(petition, sheet, user=organizer)


def make_book(client, petition, language, run_tasks):
    response = client.post(URL, {"petition": petition.pk, "language": language})
    assert response.status_code == 302
    run_tasks()
    return SignatureBook.objects.latest("requested_at")


def test_the_book_lists_confirmed_signers_by_region_with_totals_and_page_numbers(
    organizer_staff, petition, signers, run_tasks
):
    book = make_book(organizer_staff, petition, "en", run_tasks)

    assert book.status == SignatureBook.Status.READY and book.signatures == 3
    response = organizer_staff.get(f"{URL}{book.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pdf_text(response.content)
    text = "\n".join(pages)
    assert "Signature book" in text and "Clean air for Bishkek" in text
    assert "3 signatures" in text and "2 online + 1 on paper" in text
    assert re.search(r"Bishkek\s*1", text) and re.search(r"Osh Region\s*2", text)
    # Bishkek comes before the Osh Region; in a region, the order of signing (the paper
    # signature's day came first).
    assert text.index("Bakyt Usenov") < text.index("Нурлан Осмонов") < text.index("Aigul Kasymova")
    assert "Pending Person" not in text and "Invalid Person" not in text
    assert "@" not in text and "example.org" not in text
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))


def test_the_book_is_in_the_chosen_language(organizer_staff, petition, signers, run_tasks):
    book = make_book(organizer_staff, petition, "ru", run_tasks)

    text = "\n".join(pdf_text(bytes(SignatureBook.objects.get(pk=book.pk).pdf)))
    assert "Книга подписей" in text and "Чистый воздух для Бишкека" in text
    assert "2 онлайн + 1 на бумаге" in text and "Страница 1 из" in text


def test_making_and_downloading_the_book_are_logged(organizer_staff, petition, signers, run_tasks):
    book = make_book(organizer_staff, petition, "en", run_tasks)
    organizer_staff.get(f"{URL}{book.pk}/pdf/")

    messages = list(LogEntry.objects.values_list("change_message", flat=True))
    assert f"Requested the signature book {book.pk} (en)" in messages
    assert f"Downloaded the signature book {book.pk} (3 signatures)" in messages


def test_a_moderator_can_neither_make_nor_download_the_book(
    moderator_staff, petition, signers, run_tasks
):
    book = SignatureBook.objects.create(petition=petition, language="en")

    assert moderator_staff.get(URL).status_code == 403
    assert moderator_staff.post(URL, {"petition": petition.pk, "language": "en"}).status_code == 403
    assert moderator_staff.get(f"{URL}{book.pk}/pdf/").status_code == 403
    assert SignatureBook.objects.count() == 1


def test_a_book_not_ready_or_unknown_is_not_found(organizer_staff, petition):
    book = SignatureBook.objects.create(petition=petition, language="en")

    assert organizer_staff.get(f"{URL}{book.pk}/pdf/").status_code == 404
    assert organizer_staff.get(f"{URL}999999/pdf/").status_code == 404


def test_an_unknown_language_is_refused_with_a_message(organizer_staff, petition):
    response = organizer_staff.post(URL, {"petition": petition.pk, "language": "xx"})

    assert response.status_code == 200 and "Select a valid choice" in response.text
    assert not SignatureBook.objects.exists()
