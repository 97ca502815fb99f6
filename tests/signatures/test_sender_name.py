"""Emails to signers come in the organization's name, unless that would tell what was signed."""

from email.utils import formataddr

from django.conf import settings

from signatures import emails
from tests.factories import make_organization, make_petition, make_signature


def _organization():
    return make_organization(name_en="Example Network", name_ru="Сеть «Пример»")


def test_an_open_petition_sends_in_the_organizations_name_in_the_signers_language(db):
    petition = make_petition(organization=_organization(), discreet_emails=False)

    english = emails.signature_email(make_signature(petition, "a@example.org", language="en"))
    russian = emails.signature_email(make_signature(petition, "b@example.org", language="ru"))

    assert english.from_email == f"Example Network <{settings.DEFAULT_FROM_EMAIL}>"
    assert russian.from_email == formataddr(("Сеть «Пример»", settings.DEFAULT_FROM_EMAIL))


def test_a_discreet_petition_sends_under_the_bare_address(db):
    petition = make_petition(organization=_organization(), discreet_emails=True)

    message = emails.signature_email(make_signature(petition))

    assert message.from_email == settings.DEFAULT_FROM_EMAIL


def test_the_site_default_organization_names_a_petition_without_its_own(db):
    make_organization(name_en="Default Network", is_default=True)
    petition = make_petition(discreet_emails=False)

    message = emails.signature_email(make_signature(petition))

    assert message.from_email == f"Default Network <{settings.DEFAULT_FROM_EMAIL}>"


def test_the_organizers_neutral_sender_name_wins(db):
    petition = make_petition(
        organization=_organization(), discreet_emails=False, email_sender_name="Notifications"
    )

    message = emails.signature_email(make_signature(petition))

    assert message.from_email == f"Notifications <{settings.DEFAULT_FROM_EMAIL}>"


def test_without_an_organization_nothing_is_invented(db):
    petition = make_petition(discreet_emails=False)

    message = emails.signature_email(make_signature(petition))

    assert message.from_email == settings.DEFAULT_FROM_EMAIL
