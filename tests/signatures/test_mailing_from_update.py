"""A published update becomes a draft mailing in one click; the preview's confirmation sends it."""

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.utils import timezone

from petitions.models import Update
from signatures.models import Mailing
from tests.factories import make_recipient, post_update_draft, publish_update
from tests.organizers import verify

UPDATES = "/admin/petitions/update/"
MAILINGS = "/admin/signatures/mailing/"
BUTTON = "Send as a mailing to signers"


@pytest.fixture(autouse=True)
def _no_pause(settings):
    settings.MAILING_RATE_PER_MINUTE = 10**9


def _mail_url(update):
    return f"{MAILINGS}from-update/{update.pk}/"


def _write_and_publish(client, petition):
    """An update written and published in admin; no button while it is a draft."""
    update = post_update_draft(client, petition)
    assert BUTTON not in client.get(f"{UPDATES}{update.pk}/change/").content.decode()
    return publish_update(client, update)


def _published(petition, **fields):
    fields.setdefault("title_ru", "Новость")
    fields.setdefault("title_en", "News")
    fields.setdefault("text_ru", "Подписи переданы.")
    fields.setdefault("text_en", "The signatures are delivered.")
    fields.setdefault("published_at", timezone.now())
    return Update.objects.create(petition=petition, status=Update.Status.PUBLISHED, **fields)


def _staff_with(client, *codenames):
    """A verified staff member with exactly these permissions."""
    user = User.objects.create_user("editor", password="a-long-password-1", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    verify(client, user, user.totpdevice_set.create(name="phone", confirmed=True))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_a_published_update_is_mailed_to_opted_in_signers_in_their_language(
    organizer_staff, petition, run_tasks, mailoutbox
):
    petition.discreet_emails = False  # the emails may name the petition: a link to the update
    petition.save()
    make_recipient(petition, "ru@example.org", language="ru")
    make_recipient(petition, "en@example.org", language="en")
    make_recipient(petition, "quiet@example.org", language="en", wants_updates=False)
    update = _write_and_publish(organizer_staff, petition)

    change = organizer_staff.get(f"{UPDATES}{update.pk}/change/").content.decode()
    assert BUTTON in change
    assert f'action="{_mail_url(update)}"' in change

    clicked = organizer_staff.post(_mail_url(update))
    mailing = Mailing.objects.get()
    assert clicked.status_code == 302
    assert clicked["Location"] == f"{MAILINGS}{mailing.pk}/preview/"
    assert mailing.status == Mailing.Status.DRAFT
    assert (mailing.update, mailing.petition, mailing.created_by.username) == (
        update,
        petition,
        "staffer",
    )
    assert mailoutbox == []

    preview = organizer_staff.get(clicked["Location"]).content.decode()
    assert "A draft mailing was made from the update. Check it here, then send it." in preview
    assert "Sent now, it would go to 2 signers." in preview
    assert "We handed the signatures to the Jogorku Kenesh" in preview
    assert "Мы передали подписи в Жогорку Кенеш" in preview
    assert "Thank you to everyone who signed.\n\nThis is only the start." in preview
    assert "Спасибо всем, кто подписал петицию." in preview
    assert f"https://petition.test/en/petitions/clean-air/#update-{update.pk}" in preview
    assert f"https://petition.test/ru/petitions/clean-air/#update-{update.pk}" in preview

    sent = organizer_staff.post(f"{MAILINGS}{mailing.pk}/send/", follow=True)
    assert "Sending to 2 signers has begun." in sent.content.decode()
    run_tasks()

    received = {email.to[0]: email for email in mailoutbox}
    assert sorted(received) == ["en@example.org", "ru@example.org"]
    english, russian = received["en@example.org"], received["ru@example.org"]
    assert english.subject == "We handed the signatures to the Jogorku Kenesh"
    assert english.body.startswith(
        "Thank you to everyone who signed.\n\nThis is only the start.\n\n"
        f"https://petition.test/en/petitions/clean-air/#update-{update.pk}\n"
    )
    assert "Спасибо" not in english.body
    assert russian.subject == "Мы передали подписи в Жогорку Кенеш"
    assert russian.body.startswith(
        "Спасибо всем, кто подписал петицию.\n\nЭто только начало.\n\n"
        f"https://petition.test/ru/petitions/clean-air/#update-{update.pk}\n"
    )
    assert "Thank you" not in russian.body
    assert all(email.extra_headers["List-Unsubscribe"] for email in mailoutbox)


def test_a_language_without_text_falls_back_to_the_first_one(organizer_staff, petition):
    update = _published(petition, title_en="", text_en="")

    organizer_staff.post(_mail_url(update))

    mailing = Mailing.objects.get()
    assert not mailing.subject_en
    assert not mailing.body_en
    preview = organizer_staff.get(f"{MAILINGS}{mailing.pk}/preview/").content.decode()
    assert preview.count("Подписи переданы.") == 2


def test_a_discreet_petitions_mailing_carries_no_link_that_names_it(organizer_staff, petition):
    petition.discreet_emails = True
    petition.save()
    update = _published(petition)

    organizer_staff.post(_mail_url(update))

    mailing = Mailing.objects.get()
    assert (mailing.body_en, mailing.body_ru) == (
        "The signatures are delivered.",
        "Подписи переданы.",
    )
    # The title may name the campaign too, and shows on a locked phone's screen.
    assert (mailing.subject_en, mailing.subject_ru) == ("News", "Новости")


def test_a_language_with_text_but_no_title_gets_a_neutral_subject_in_that_language(
    organizer_staff, petition
):
    petition.discreet_emails = False
    petition.save()
    update = _published(petition, title_en="")

    organizer_staff.post(_mail_url(update))

    mailing = Mailing.objects.get()
    assert (mailing.subject_en, mailing.subject_ru) == ("News", "Новость")


def test_a_title_too_long_for_a_subject_is_cut(organizer_staff, petition):
    petition.discreet_emails = False  # the title becomes the subject
    petition.save()
    update = _published(petition, title_ru="Очень длинный заголовок новости. " * 6)

    clicked = organizer_staff.post(_mail_url(update))

    mailing = Mailing.objects.get()
    assert clicked.status_code == 302
    assert len(update.title_ru) == 198
    assert len(mailing.subject_ru) == 150
    assert mailing.subject_ru.endswith("…")
    assert update.title_ru.startswith(mailing.subject_ru[:-1])


def test_a_second_click_opens_the_same_mailing(organizer_staff, petition, run_tasks, mailoutbox):
    make_recipient(petition, "a@example.org")
    update = _published(petition)

    first = organizer_staff.post(_mail_url(update))
    again = organizer_staff.post(_mail_url(update), follow=True)

    mailing = Mailing.objects.get()
    assert again.redirect_chain == [(first["Location"], 302)]
    assert "This update already has a draft mailing: here it is." in again.content.decode()

    organizer_staff.post(f"{MAILINGS}{mailing.pk}/send/")
    run_tasks()
    after_sending = organizer_staff.post(_mail_url(update), follow=True).content.decode()

    assert Mailing.objects.count() == 1
    assert "This update has already been sent as a mailing." in after_sending
    assert "Yes, send it" not in after_sending
    assert len(mailoutbox) == 1


def test_a_draft_update_cannot_be_mailed(organizer_staff, petition):
    update = _published(petition)
    Update.objects.filter(pk=update.pk).update(status=Update.Status.DRAFT)

    page = organizer_staff.get(f"{UPDATES}{update.pk}/change/").content.decode()
    response = organizer_staff.post(_mail_url(update))

    assert BUTTON not in page
    assert response.status_code == 409
    assert "Only a published update can be sent as a mailing" in response.content.decode()
    assert not Mailing.objects.exists()


@pytest.mark.parametrize("method", ["get", "head"])
def test_only_a_post_makes_a_mailing(organizer_staff, petition, method):
    update = _published(petition)

    response = getattr(organizer_staff, method)(_mail_url(update))

    assert response.status_code == 405
    assert not Mailing.objects.exists()


def test_the_click_is_protected_from_other_sites(organizer, petition):
    update = _published(petition)
    browser = Client(enforce_csrf_checks=True)
    verify(browser, organizer, organizer.totpdevice_set.get())

    response = browser.post(_mail_url(update))

    assert response.status_code == 403
    assert not Mailing.objects.exists()


def test_who_may_not_write_mailings_sees_no_button_and_is_refused(client, petition):
    update = _published(petition)
    editor = _staff_with(client, "view_update", "change_update")

    page = editor.get(f"{UPDATES}{update.pk}/change/")
    response = editor.post(_mail_url(update))

    assert page.status_code == 200
    assert BUTTON not in page.content.decode()
    assert response.status_code == 403
    assert not Mailing.objects.exists()


def test_moderators_are_refused(moderator_staff, petition):
    update = _published(petition)

    response = moderator_staff.post(_mail_url(update))

    assert response.status_code == 403
    assert not Mailing.objects.exists()


def test_an_unknown_update_is_not_found(organizer_staff, db):
    assert organizer_staff.post(f"{MAILINGS}from-update/999999/").status_code == 404


def test_the_button_speaks_russian(organizer_staff, petition):
    update = _published(petition)
    organizer_staff.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"

    page = organizer_staff.get(f"{UPDATES}{update.pk}/change/").content.decode()
    followed = organizer_staff.post(_mail_url(update), follow=True).content.decode()

    assert "Разослать подписавшим" in page
    assert "Из новости подготовлен черновик рассылки" in followed
