"""Run only by tests/petitions/test_third_language.py, in a session with LANGUAGES=ru,en,ky."""

from tests.factories import make_petition


def test_the_kyrgyz_page_shows_kyrgyz_text(client, db):
    petition = make_petition(title_ru="Петиция", title_ky="Петиция кыргызча")

    html = client.get(f"/ky/petitions/{petition.slug}/").content.decode()

    assert '<html lang="ky">' in html
    assert "<h1>Петиция кыргызча</h1>" in html
    assert 'hreflang="ky"' in html


def test_an_untranslated_part_falls_back_to_russian(client, db):
    petition = make_petition(title_ru="Только по-русски", title_ky="")

    html = client.get(f"/ky/petitions/{petition.slug}/").content.decode()

    assert "<h1>Только по-русски</h1>" in html


def test_kyrgyz_browsers_land_on_the_kyrgyz_page(client, db):
    make_petition()

    response = client.get("/", headers={"Accept-Language": "ky"})

    assert response["Location"] == "/ky/"
