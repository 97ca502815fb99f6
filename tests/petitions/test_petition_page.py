"""The petition page shows the whole seed text, faithfully, in English and in Russian."""

import json
import re
from html import unescape

import pytest
from django.conf import settings

SEED = json.loads(
    (settings.BASE_DIR / "petitions" / "content" / "stop-criminalization-kg.json").read_text()
)


def _visible_text(response):
    html = response.content.decode()
    return unescape(re.sub(r"\s+", " ", html))


def _seed_texts(language):
    for values in SEED["fields"].values():
        yield from values[language].split("\n\n")
    for key in ("addressees", "harms", "reasons", "demands"):
        for values in SEED[key]:
            yield values[language]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_part_of_the_seed_appears_on_the_home_page(client, seeded_petition, language):
    response = client.get(f"/{language}/")

    assert response.status_code == 200
    text = _visible_text(response)
    missing = [part for part in _seed_texts(language) if part not in text]
    assert missing == []


@pytest.mark.parametrize(
    ("language", "observation_43", "observation_44"),
    [
        ("en", "43. The Committee is concerned", "44. The Committee urges the State party"),
        ("ru", "43. Комитет обеспокоен", "44. Комитет настоятельно призывает"),
    ],
)
def test_the_cedaw_observations_are_quoted_in_a_blockquote(
    client, seeded_petition, language, observation_43, observation_44
):
    response = client.get(f"/{language}/petitions/{seeded_petition.slug}/")

    blockquote = re.search(r"<blockquote[^>]*>(.*?)</blockquote>", response.content.decode(), re.S)
    assert observation_43 in blockquote.group(1)
    assert observation_44 in blockquote.group(1)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_reasons_and_demands_are_ordered_lists_in_their_order(client, seeded_petition, language):
    html = client.get(f"/{language}/").content.decode()

    lists = re.findall(r"<ol[^>]*>(.*?)</ol>", html, re.S)
    items = [re.findall(r"<li>(.*?)</li>", ordered, re.S) for ordered in lists]
    assert [unescape(item) for item in items[0]] == [r[language] for r in SEED["reasons"]]
    assert [unescape(item) for item in items[1]] == [d[language] for d in SEED["demands"]]
    assert len(items[0]) == 10
    assert len(items[1]) == 3


def test_the_russian_page_is_in_russian_and_the_english_in_english(client, seeded_petition):
    russian = client.get("/ru/").content.decode()
    english = client.get("/en/").content.decode()

    assert '<html lang="ru">' in russian
    assert "<h1>Остановить криминализацию секс-работы в Кыргызстане</h1>" in russian
    assert "Наши требования" in russian
    assert '<html lang="en">' in english
    assert "<h1>Stop the criminalization of sex work in Kyrgyzstan</h1>" in english
    assert "Our demands" in english


def test_the_petition_has_its_own_url_in_each_language(client, seeded_petition):
    slug = seeded_petition.slug

    response = client.get(f"/en/petitions/{slug}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<link rel="canonical" href="http://testserver/en/petitions/{slug}/">' in html
    assert f'hreflang="ru" href="http://testserver/ru/petitions/{slug}/"' in html
    assert f'hreflang="en" href="http://testserver/en/petitions/{slug}/"' in html


def test_the_page_needs_no_inline_script_or_style_and_sends_a_strict_csp(client, seeded_petition):
    response = client.get("/en/")

    html = response.content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "style=" not in html
    assert "<style" not in html
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_nothing_is_loaded_from_another_site(client, seeded_petition):
    html = client.get("/ru/").content.decode()

    loaded = re.findall(r'<(?:script|img|iframe)[^>]*\bsrc="([^"]+)"', html) + re.findall(
        r'<link rel="(?:stylesheet|icon|preload)"[^>]*href="([^"]+)"', html
    )
    assert loaded
    assert [url for url in loaded if not url.startswith("/static/")] == []
