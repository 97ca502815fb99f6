"""Organizers describe who runs the campaign in admin: name, logo, who we are, contact, links."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from petitions import logos
from petitions.models import Organization
from tests.factories import image_file, make_organization
from tests.html import form_data

ADD_URL = "/admin/petitions/organization/add/"


def _add(client, language="en", **fields):
    data = form_data(client.get(ADD_URL).content.decode())
    data.update(
        name_ru="Сеть «Пример»",
        name_en="Example Network",
        about_ru="Мы — секс-работники и секс-работницы и наши союзники.",
        about_en="We are sex workers and our allies.",
        email="hello@example.org",
    )
    data.update(fields)
    return client.post(ADD_URL, data, HTTP_ACCEPT_LANGUAGE=language)


def _errors(response):
    return [
        str(error)
        for errors in response.context["adminform"].form.errors.values()
        for error in errors
    ]


def test_an_organizer_adds_an_organization_with_a_logo_that_is_stored_small(organizer_staff, db):
    response = _add(
        organizer_staff,
        logo_upload=image_file(size=(2000, 1000)),
        website="https://example.org",
        telegram="https://t.me/example",
        instagram="https://www.instagram.com/example",
        facebook="https://www.facebook.com/example",
    )

    assert response.status_code == 302
    organization = Organization.objects.get()
    assert organization.name_ru == "Сеть «Пример»"
    assert organization.about_en == "We are sex workers and our allies."
    assert (organization.logo_width, organization.logo_height) == (240, 120)
    with Image.open(io.BytesIO(bytes(organization.logo))) as stored:
        assert (stored.format, stored.size) == ("WEBP", (240, 120))
    assert len(organization.logo_digest) == 16
    assert [label for label, _url in organization.links] == [
        "website",
        "Telegram",
        "Instagram",
        "Facebook",
    ]


def test_the_change_page_shows_the_current_logo(organizer_staff, db):
    _add(organizer_staff, logo_upload=image_file())
    organization = Organization.objects.get()

    html = organizer_staff.get(f"/admin/petitions/organization/{organization.pk}/change/")

    assert f'src="{organization.logo_url()}"' in html.content.decode()


def test_a_new_logo_gets_a_new_address_and_removing_it_leaves_none(organizer_staff, db):
    _add(organizer_staff, logo_upload=image_file(color=(0, 0, 0)))
    organization = Organization.objects.get()
    url = f"/admin/petitions/organization/{organization.pk}/change/"
    first = organization.logo_url()

    data = form_data(organizer_staff.get(url).content.decode())
    organizer_staff.post(url, {**data, "logo_upload": image_file(color=(255, 255, 255))})
    organization.refresh_from_db()
    second = organization.logo_url()
    organizer_staff.post(url, {**data, "remove_logo": "on"})
    organization.refresh_from_db()

    assert second != first
    assert (organization.logo_url(), bytes(organization.logo)) == ("", b"")


def test_saving_without_a_new_file_keeps_the_logo(organizer_staff, db):
    _add(organizer_staff, logo_upload=image_file())
    organization = Organization.objects.get()
    url = f"/admin/petitions/organization/{organization.pk}/change/"

    data = form_data(organizer_staff.get(url).content.decode())
    organizer_staff.post(url, {**data, "about_en": "Changed."})
    changed = Organization.objects.get()

    assert changed.about_en == "Changed."
    assert bytes(changed.logo) == bytes(organization.logo)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Upload a valid image"),
        ("ru", "Загрузите правильное изображение"),
    ],
)
def test_a_file_that_is_no_image_is_refused_with_a_translated_error(
    organizer_staff, db, language, message
):
    upload = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")

    response = _add(organizer_staff, language, logo_upload=upload)

    assert response.status_code == 200
    assert any(message in error for error in _errors(response))
    assert not Organization.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "a logo may be 5.0"), ("ru", "логотип может занимать не больше 5,0")],
)
def test_a_huge_file_is_refused_with_a_translated_error(organizer_staff, db, language, message):
    # An uncompressed bitmap: 6.4 MB.
    upload = image_file(size=(1500, 1500), image_format="BMP", name="logo.bmp")
    assert upload.size > logos.MAX_BYTES

    response = _add(organizer_staff, language, logo_upload=upload)

    assert any(message in error for error in _errors(response)), _errors(response)
    assert not Organization.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "6000×5000 pixels"), ("ru", "6000×5000 пикселей")],
)
def test_an_image_of_too_many_pixels_is_refused(organizer_staff, db, language, message):
    # A single-colour PNG of 30 megapixels is a few kilobytes: the size alone would pass.
    response = _add(organizer_staff, language, logo_upload=image_file(size=(6000, 5000)))

    assert any(message in error for error in _errors(response)), _errors(response)
    assert not Organization.objects.exists()


def test_an_image_format_browsers_do_not_show_is_refused(organizer_staff, db):
    upload = image_file(image_format="TIFF", name="logo.tiff")

    response = _add(organizer_staff, logo_upload=upload)

    assert "Upload the logo as PNG, JPEG, WebP or GIF." in _errors(response)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("telegram", "https://example.org/channel"),
        ("instagram", "https://instagram.com.evil.example/x"),
        ("facebook", "javascript:alert(1)"),
        ("website", "not an address"),
    ],
)
def test_links_must_be_addresses_of_their_own_service(organizer_staff, db, field, value):
    response = _add(organizer_staff, **{field: value})

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Organization.objects.exists()


def test_a_link_to_the_wrong_service_is_refused_in_russian_too(organizer_staff, db):
    response = _add(organizer_staff, "ru", telegram="https://example.org/channel")

    assert "Укажите ссылку на t.me." in _errors(response)


def test_only_one_organization_is_the_site_default(organizer_staff, db):
    make_organization(is_default=True)

    response = _add(organizer_staff, is_default="on")

    assert "Another organization is already the site default." in _errors(response)


def test_organizers_post_updates_but_cannot_delete_an_organization(organizer_staff, db):
    organization = make_organization()

    delete = organizer_staff.get(f"/admin/petitions/organization/{organization.pk}/delete/")

    assert delete.status_code == 403
    assert organizer_staff.get("/admin/petitions/update/add/").status_code == 200
