"""The logo is served from the database at an address that changes with it, cached for a year."""

from petitions import logos
from tests.factories import image_file, make_organization


def _with_logo():
    organization = make_organization()
    upload = image_file(size=(300, 300))
    organization.set_logo(logos.shrink(upload))
    organization.save()
    return organization


def test_the_logo_is_served_as_webp_and_may_be_cached_for_a_year(client, db):
    organization = _with_logo()

    response = client.get(organization.logo_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response.content == bytes(organization.logo)
    assert response.content[8:12] == b"WEBP"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"public", "max-age=31536000", "immutable"}
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in response


def test_the_address_carries_no_language(client, db):
    url = _with_logo().logo_url()

    assert url.startswith("/organizations/")
    assert url.endswith(".webp")


def test_an_old_address_is_not_found_once_the_logo_changed(client, db):
    organization = _with_logo()
    old = organization.logo_url()
    organization.set_logo(logos.shrink(image_file(color=(0, 0, 0))))
    organization.save()

    assert client.get(old).status_code == 404
    assert client.get(organization.logo_url()).status_code == 200


def test_an_organization_without_a_logo_has_no_address(client, db):
    organization = make_organization()

    assert organization.logo_url() == ""
    assert client.get(f"/organizations/{organization.pk}/logo-.webp").status_code == 404
