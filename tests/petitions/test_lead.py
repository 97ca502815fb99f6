"""The lead asks parliament not to criminalize sex work, on the page and in link previews."""

import re
from html import unescape

import pytest

ASKS = {
    "ru": "не допустить криминализации секс-работы через введение административного наказания",
    "en": "not to criminalize sex work by introducing an administrative punishment",
}
# The first wording, which read as "stop criminalization by introducing a punishment".
MISREADINGS = {
    "ru": "остановить криминализацию секс-работы путём введения",
    "en": "to stop the criminalization of sex work through the introduction",
}


def _meta(html, attribute, name):
    [content] = re.findall(rf'<meta {attribute}="{name}" content="([^"]*)">', html)
    return unescape(content)


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_lead_on_the_petition_page_asks_not_to_criminalize(client, seeded_petition, language):
    html = client.get(f"/{language}/petitions/{seeded_petition.slug}/").content.decode()

    [lead] = re.findall(r'<p class="petition__lead">(.*?)</p>', html, re.S)
    assert ASKS[language] in unescape(lead)
    assert MISREADINGS[language] not in unescape(html)


@pytest.mark.parametrize("language", ["ru", "en"])
def test_link_previews_and_search_engines_read_the_same_ask(client, seeded_petition, language):
    html = client.get(f"/{language}/petitions/{seeded_petition.slug}/").content.decode()

    for attribute, name in [
        ("name", "description"),
        ("property", "og:description"),
        ("name", "twitter:description"),
    ]:
        assert ASKS[language] in _meta(html, attribute, name), name
