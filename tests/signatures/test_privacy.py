"""The privacy primitives and the privacy notice."""

import pytest
from cryptography.fernet import Fernet

from signatures import privacy
from signatures.models import Signature
from tests.factories import make_signature


@pytest.mark.parametrize(
    ("address", "normal"),
    [
        ("Aigul@Example.ORG", "aigul@example.org"),
        ("  aigul@example.org ", "aigul@example.org"),
        ("aigul+news@example.org", "aigul@example.org"),
        ("a.i.gul@gmail.com", "aigul@gmail.com"),
        ("A.Igul+x@GoogleMail.com", "aigul@gmail.com"),
        ("a.igul@example.org", "a.igul@example.org"),
        ("user@пример.кг", "user@xn--e1afmkfd.xn--c1an"),
    ],
)
def test_addresses_are_normalised_to_recognise_one_person(address, normal):
    assert privacy.normalize_email(address) == normal


def test_hashes_are_keyed_and_separated_by_purpose(settings):
    email = privacy.keyed_hash("a@example.org", "email")
    ip = privacy.keyed_hash("a@example.org", "ip")
    settings.PRIVACY_HASH_KEY = "another-key-0123456789abcdefghijklmnop"

    assert email != ip
    assert privacy.keyed_hash("a@example.org", "email") != email


@pytest.fixture
def use_keys(settings):
    """Switch EMAIL_ENCRYPTION_KEYS for the rest of the test: use_keys(new, old)."""
    original = settings.EMAIL_ENCRYPTION_KEYS

    def use(*keys):
        settings.EMAIL_ENCRYPTION_KEYS = list(keys)
        privacy._fernet.cache_clear()

    yield use
    use(*original)


def test_encryption_rotates_to_a_new_key_and_still_reads_old_values(settings, petition, use_keys):
    old_key = settings.EMAIL_ENCRYPTION_KEYS[0]
    signature = make_signature(petition, email="rotate@example.org")
    new_key = Fernet.generate_key().decode()

    use_keys(new_key, old_key)
    assert Signature.objects.get().email == "rotate@example.org"
    rotated = privacy.rotate(signature.email_encrypted)
    use_keys(new_key)

    assert privacy.decrypt(rotated) == "rotate@example.org"
    assert privacy.decrypt(signature.email_encrypted) == ""


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "What we collect"), ("ru", "Что мы собираем")],
)
def test_the_privacy_notice_exists_in_both_languages(client, db, language, heading):
    response = client.get(f"/{language}/privacy/")

    assert response.status_code == 200
    assert heading in response.content.decode()


def test_no_public_page_shows_an_email(client, petition):
    make_signature(
        petition,
        email="hidden@example.org",
        name="Aigul Mamatova",
        status="confirmed",
        show_name=True,
    )

    for url in (
        f"/en/petitions/{petition.slug}/",
        f"/en/petitions/{petition.slug}/thanks/",
        f"/petitions/{petition.slug}/count.json",
    ):
        assert "hidden@example.org" not in client.get(url).content.decode()


def test_the_rotation_command_re_encrypts_every_email_under_the_new_key(
    settings, petition, use_keys
):
    from django.core.management import call_command

    old_key = settings.EMAIL_ENCRYPTION_KEYS[0]
    for number in range(3):
        make_signature(petition, email=f"person{number}@example.org")
    new_key = Fernet.generate_key().decode()
    use_keys(new_key, old_key)

    call_command("rotate_email_keys", verbosity=0)
    use_keys(new_key)

    emails = sorted(signature.email for signature in Signature.objects.all())
    assert emails == [f"person{number}@example.org" for number in range(3)]


@pytest.mark.parametrize(
    ("captcha", "named", "not_named"),
    [
        ("altcha", "no other company takes part", "Google"),
        ("recaptcha", "Google reCAPTCHA", "ALTCHA"),
        ("off", "no other company takes part in its forms", "Google"),
    ],
)
def test_the_privacy_notice_names_the_third_party_each_captcha_involves(
    client, db, settings, captcha, named, not_named
):
    settings.CAPTCHA = captcha

    html = client.get("/en/privacy/").content.decode()

    assert named in html
    assert not_named not in html
