"""Every bad input gets a clear, translated error and a 400, and stores nothing."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signatures.models import Signature
from tests.factories import sign_data


def _sign(client, petition, language="en", **data):
    return client.post(f"/{language}/petitions/{petition.slug}/sign/", sign_data(**data))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "A"}, "Please enter at least 2 characters."),
        ({"name": "A" * 101}, "Please use at most 100 characters."),
        ({"name": None}, "This field is required."),
        ({"name": "   "}, "This field is required."),
        ({"name": "Visit https://spam.example"}, "A name cannot contain a web address."),
        ({"name": "Cheap pills www.pills"}, "A name cannot contain a web address."),
        ({"name": "buy at shop.com now"}, "A name cannot contain a web address."),
        ({"name": "Anna <i>X</i>"}, "A name cannot contain &lt; or &gt;."),
        ({"name": "=HYPERLINK(1)"}, "A name cannot start with =, +, - or @."),
        ({"name": "+Anna"}, "A name cannot start with =, +, - or @."),
        ({"name": "-Anna"}, "A name cannot start with =, +, - or @."),
        ({"name": "@Anna"}, "A name cannot start with =, +, - or @."),
        ({"name": "An\x07na"}, "The name contains invisible or unreadable characters."),
        ({"name": "An\u200bna"}, "The name contains invisible or unreadable characters."),
        ({"name": "An\ufffdna"}, "The name contains invisible or unreadable characters."),
        ({"name": "An\x00na"}, "Null characters are not allowed."),
        ({"email": None}, "This field is required."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"email": "a@b"}, "Enter a valid email address."),
        ({"email": "x" * 250 + "@example.org"}, "Ensure this value has at most 254 characters"),
        ({"email": "a\x00@example.org"}, "Null characters are not allowed."),
        ({"region": None}, "This field is required."),
        ({"region": "atlantis"}, "Select a valid choice."),
        ({"privacy": None}, "Please agree to the privacy notice to sign."),
    ],
)
def test_a_bad_field_is_refused_with_its_error_next_to_it(client, petition, data, message):
    response = _sign(client, petition, **data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Signature.objects.count() == 0


def test_errors_are_translated_and_the_input_is_kept(client, petition):
    response = _sign(client, petition, language="ru", name="Айгүл", email="нет", privacy=None)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Введите правильный адрес электронной почты." in html
    assert "Чтобы подписать петицию, отметьте согласие с политикой конфиденциальности." in html
    assert 'value="Айгүл"' in html
    assert 'value="нет"' in html


@pytest.mark.parametrize(
    "name", ["Айгүл Өмүрбекова", "Ңурлан Үсөнов", "Zoë O'Brien-Núñez", "李 小龙", "Ó Súilleabháin"]
)
def test_unicode_names_are_welcome(client, petition, name):
    response = _sign(client, petition, name=name)

    assert response.status_code == 302
    assert Signature.objects.get().name == name


def test_spaces_in_a_name_are_tidied(client, petition):
    _sign(client, petition, name="  Aigul    Mamatova ")

    assert Signature.objects.get().name == "Aigul Mamatova"


def test_undecodable_bytes_are_a_400_not_a_500(client, petition):
    body = b"name=%FF%FE%00&email=%C3%28@example.org&region=bishkek&privacy=on"

    response = client.post(
        f"/en/petitions/{petition.slug}/sign/",
        body,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert Signature.objects.count() == 0


def test_a_huge_body_is_refused_with_a_4xx(client, petition):
    response = client.post(
        f"/en/petitions/{petition.slug}/sign/",
        sign_data(name="x" * 3_000_000),
    )

    assert 400 <= response.status_code < 500
    assert Signature.objects.count() == 0


def test_a_filled_honeypot_looks_like_success_and_stores_nothing(client, petition):
    response = _sign(client, petition, website="http://spam.example")

    assert response.status_code == 302
    assert response["Location"].endswith("/check-your-email/")
    assert Signature.objects.count() == 0


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.text(max_size=120),
    email=st.one_of(st.emails(), st.text(max_size=300)),
    region=st.sampled_from(["bishkek", "osh", "", "nowhere", "\x00"]),
)
def test_any_input_is_either_stored_once_or_refused_never_a_500(
    client, petition, name, email, region
):
    before = Signature.objects.count()

    response = _sign(client, petition, name=name, email=email, region=region)

    after = Signature.objects.count()
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert after == before
    else:
        assert after - before in (0, 1)
