"""Sharing: link previews per language, a share image, plain share links and a poster."""

import io
import re

from PIL import Image

from tests.factories import make_petition, make_signature


def _meta(html, name):
    match = re.search(rf'<meta (?:property|name)="{name}" content="([^"]*)"', html)
    return match.group(1) if match else None


def test_link_previews_are_in_the_language_of_the_link(client, seeded_petition):
    russian = client.get("/ru/").content.decode()
    english = client.get("/en/").content.decode()
    slug = seeded_petition.slug

    assert _meta(russian, "og:title") == "Остановить криминализацию секс-работы в Кыргызстане"
    assert _meta(english, "og:title") == "Stop the criminalization of sex work in Kyrgyzstan"
    assert _meta(russian, "og:url") == f"http://testserver/ru/petitions/{slug}/"
    assert _meta(russian, "og:image") == f"http://testserver/ru/petitions/{slug}/share.png"
    assert _meta(english, "og:locale") == "en_US"
    assert _meta(russian, "twitter:card") == "summary_large_image"
    assert _meta(russian, "og:description").startswith("Мы, нижеподписавшиеся")


def test_the_share_image_is_a_1200_by_630_png_with_a_cache(client, petition):
    make_signature(petition, status="confirmed")

    response = client.get(f"/ru/petitions/{petition.slug}/share.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=600"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (1200, 630)
    assert image.format == "PNG"


def test_each_language_gets_its_own_image(client, petition):
    russian = client.get(f"/ru/petitions/{petition.slug}/share.png").content
    english = client.get(f"/en/petitions/{petition.slug}/share.png").content

    assert russian != english


def test_the_share_image_is_drawn_anew_when_the_count_changes(client, petition):
    from signatures import counting

    before = client.get(f"/ru/petitions/{petition.slug}/share.png").content
    make_signature(petition, status="confirmed")
    counting.forget(petition.pk)

    after = client.get(f"/ru/petitions/{petition.slug}/share.png").content

    assert after != before


def test_the_share_image_is_drawn_anew_for_another_address(client, petition, settings):
    settings.ALLOWED_HOSTS = ["testserver", "petition.example.org"]

    here = client.get(f"/ru/petitions/{petition.slug}/share.png").content
    there = client.get(
        f"/ru/petitions/{petition.slug}/share.png", HTTP_HOST="petition.example.org"
    ).content

    assert here != there


def test_the_share_image_carries_a_call_to_sign_and_the_address_in_the_pages_language(
    petition, monkeypatch
):
    from petitions import sharing

    drawn = []
    monkeypatch.setattr(
        sharing.ImageDraw.ImageDraw, "text", lambda self, xy, text, **kw: drawn.append(text)
    )

    sharing.share_image(petition, 21, "https://petition.example.org/ru/petitions/clean-air/", "ru")

    assert drawn[-4:] == [
        "Чистый воздух для Бишкека",
        "21 подпись",
        "Подпишите петицию",
        "petition.example.org/ru/petitions/clean-air",
    ]


def test_share_links_are_plain_links_with_no_third_party_script(client, petition):
    html = client.get(f"/en/petitions/{petition.slug}/").content.decode()
    url = f"http%3A//testserver/en/petitions/{petition.slug}/"

    for prefix in (
        "https://wa.me/?text=",
        "https://t.me/share/url?url=",
        "https://www.facebook.com/sharer/sharer.php?u=",
        "https://vk.com/share.php?url=",
        "https://x.com/intent/post?url=",
        "mailto:?subject=",
    ):
        assert f'href="{prefix}' in html
    assert url in html
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert all(src.startswith("/static/") for src in scripts)


def test_the_poster_has_the_title_the_ask_demands_a_call_and_a_qr_code(client, db):
    petition = make_petition(title_ru="Плакат", slug="poster", lead_ru="Мы просим одного.")
    petition.demands.create(position=1, text_ru="Первое требование", text_en="First demand")

    html = client.get(f"/ru/petitions/{petition.slug}/poster/").content.decode()

    assert "<h1>Плакат</h1>" in html
    assert '<p class="poster__ask">Мы просим одного.</p>' in html
    assert "Первое требование" in html
    assert "Подпишите петицию" in html
    assert re.search(r'<svg viewBox="0 0 \d+ \d+" class="poster__qr"><path', html)
    assert '<p class="poster__address">testserver/ru/petitions/poster</p>' in html


def test_the_api_gives_public_figures_and_no_personal_data(client, petition):
    make_signature(
        petition, email="secret@example.org", name="Secret Name", status="confirmed", region="osh"
    )
    make_signature(petition, email="other@example.org", status="confirmed", region="osh")
    make_signature(petition, email="third@example.org", status="pending", region="naryn")

    response = client.get(f"/ru/petitions/{petition.slug}.json")

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=5, s-maxage=5"
    data = response.json()
    assert data["title"] == "Чистый воздух для Бишкека"
    assert data["confirmed_count"] == 2
    assert data["regions"] == {"osh": 2}
    assert data["goal"] == 100
    assert data["status"] == "open"
    body = response.content.decode()
    assert "secret" not in body.lower()
    assert "Secret Name" not in body


def test_the_api_hides_drafts(client, db):
    assert client.get(f"/en/petitions/{make_petition(status='draft').slug}.json").status_code == 404


def test_the_sitemap_lists_petitions_with_hreflang_alternates(client, seeded_petition):
    xml = client.get("/sitemap.xml").content.decode()

    slug = seeded_petition.slug
    assert f"<loc>http://testserver/ru/petitions/{slug}/</loc>" in xml
    assert f"<loc>http://testserver/en/petitions/{slug}/</loc>" in xml
    assert f'hreflang="en" href="http://testserver/en/petitions/{slug}/"' in xml
    assert 'hreflang="x-default"' in xml
    assert "/signatures/" not in xml


def test_robots_keep_admin_and_emailed_links_out_of_indexes(client, db, settings):
    settings.ADMIN_URL = "office-7f3a/"

    text = client.get("/robots.txt").content.decode()

    assert "Disallow: /office-7f3a/" in text
    assert "Disallow: /ru/signatures/" in text
    assert "Disallow: /en/signatures/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_a_long_title_is_wrapped_to_fit_the_image():
    from petitions.sharing import WIDTH, _font, _wrap

    lines = _wrap("Остановить криминализацию секс-работы в Кыргызстане", _font(72), WIDTH - 140)

    assert len(lines) > 1
    assert all(_font(72).getlength(line) <= WIDTH - 140 for line in lines)
