"""Organizers write a mailing in admin, preview it, test it on themselves, and send it."""

import pytest
from django.contrib.auth.models import Group, User

from signatures.models import Mailing
from tests.factories import make_mailing, make_recipient
from tests.organizers import verify

ADMIN = "/admin/signatures/mailing/"


@pytest.fixture(autouse=True)
def _no_pause(settings):
    settings.MAILING_RATE_PER_MINUTE = 10**9


@pytest.fixture
def organizer_staff(client, db):
    """A member of the Organizer group, with an email address of their own."""
    user = User.objects.create_user(
        "staffer", email="staffer@example.org", password="a-long-password-1", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Organizer"))
    verify(client, user, user.totpdevice_set.create(name="phone", confirmed=True))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_write_preview_test_confirm_and_send(organizer_staff, petition, run_tasks, mailoutbox):
    make_recipient(petition, "ru@example.org", language="ru")
    make_recipient(petition, "en@example.org", language="en")
    make_recipient(petition, "quiet@example.org", wants_updates=False)

    added = organizer_staff.post(
        f"{ADMIN}add/",
        {
            "petition": petition.pk,
            "subject_ru": "Новости",
            "body_ru": "Подписи переданы.",
            "subject_en": "",
            "body_en": "The signatures are delivered.",
        },
    )
    assert added.status_code == 302
    mailing = Mailing.objects.get()
    assert mailing.created_by.username == "staffer"

    preview = organizer_staff.get(f"{ADMIN}{mailing.pk}/preview/").content.decode()
    assert "Sent now, it would go to 2 signers." in preview
    assert "Подписи переданы." in preview
    assert "The signatures are delivered." in preview

    tested = organizer_staff.post(f"{ADMIN}{mailing.pk}/test/", follow=True)
    assert "2 test emails sent to your address." in tested.content.decode()
    assert [(email.to, email.subject) for email in mailoutbox] == [
        (["staffer@example.org"], "Новости"),
        (["staffer@example.org"], "Новости"),
    ]
    assert "The signatures are delivered." in mailoutbox[1].body
    mailoutbox.clear()

    confirm = organizer_staff.get(f"{ADMIN}{mailing.pk}/send/").content.decode()
    assert "Send this mailing to 2 signers?" in confirm
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DRAFT

    sent = organizer_staff.post(f"{ADMIN}{mailing.pk}/send/", follow=True)
    assert "Sending to 2 signers has begun." in sent.content.decode()
    run_tasks()

    assert sorted(email.to[0] for email in mailoutbox) == ["en@example.org", "ru@example.org"]
    page = organizer_staff.get(f"{ADMIN}{mailing.pk}/change/").content.decode()
    assert "Preview and test" in page
    assert "Send…" not in page
    changelist = organizer_staff.get(ADMIN).content.decode()
    assert '<td class="field-sent">2</td>' in changelist
    assert '<td class="field-failed">0</td>' in changelist
    assert '<td class="field-remaining">0</td>' in changelist


def test_a_sent_mailing_cannot_be_sent_again_changed_or_deleted(
    organizer_staff, petition, run_tasks, mailoutbox
):
    make_recipient(petition, "a@example.org")
    mailing = make_mailing(petition)
    organizer_staff.post(f"{ADMIN}{mailing.pk}/send/")
    run_tasks()

    again = organizer_staff.post(f"{ADMIN}{mailing.pk}/send/", follow=True)
    organizer_staff.post(f"{ADMIN}{mailing.pk}/change/", {"body_ru": "Другое", "body_en": "Else"})
    deleted = organizer_staff.post(f"{ADMIN}{mailing.pk}/delete/", {"post": "yes"})

    assert "This mailing has already been sent." in again.content.decode()
    assert deleted.status_code == 403
    mailing.refresh_from_db()
    assert mailing.body_en == "We delivered the signatures."
    assert len(mailoutbox) == 1


def test_with_nobody_to_send_to_there_is_no_send_button(organizer_staff, petition, mailoutbox):
    mailing = make_mailing(petition)

    page = organizer_staff.get(f"{ADMIN}{mailing.pk}/send/").content.decode()
    organizer_staff.post(f"{ADMIN}{mailing.pk}/send/")

    assert "there is nobody to send it to" in page
    assert "Yes, send it" not in page
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DRAFT


def test_without_an_address_of_their_own_an_organizer_is_told_to_add_one(
    organizer_client, petition, mailoutbox
):
    mailing = make_mailing(petition)
    organizer_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = organizer_client.post(f"{ADMIN}{mailing.pk}/test/", follow=True)

    assert "Your account has no email address" in response.content.decode()
    assert mailoutbox == []


def test_moderators_have_no_mailings(client, petition):
    user = User.objects.create_user("moderator", password="a-long-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderator"))
    verify(client, user, user.totpdevice_set.create(name="phone", confirmed=True))
    mailing = make_mailing(petition)

    for url in (ADMIN, f"{ADMIN}{mailing.pk}/preview/", f"{ADMIN}{mailing.pk}/send/"):
        assert client.get(url).status_code in (302, 403), url
    assert client.post(f"{ADMIN}{mailing.pk}/send/").status_code in (302, 403)
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DRAFT
