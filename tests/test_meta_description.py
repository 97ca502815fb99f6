"""Search engines get a description of every page they may index, and no empty one."""

import re

import pytest

SLUG = "stop-criminalization-of-sex-work-kyrgyzstan"


def _descriptions(response):
    return re.findall(r'<meta name="description" content="([^"]*)">', response.content.decode())


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize(
    "path", ["/{}/", f"/{{}}/petitions/{SLUG}/", f"/{{}}/petitions/{SLUG}/sign/", "/{}/privacy/"]
)
def test_every_indexable_page_has_one_description(client, seeded_petition, language, path):
    response = client.get(path.format(language))

    [description] = _descriptions(response)
    assert len(description) > 50


def test_the_privacy_notice_is_described_in_the_visitors_language(client, seeded_petition):
    [description] = _descriptions(client.get("/ru/privacy/"))

    assert "отозвать подпись" in description


@pytest.mark.parametrize(
    "path",
    [f"/en/petitions/{SLUG}/check-your-email/", "/en/signatures/withdrawn/", "/en/no-such-page/"],
)
def test_pages_kept_out_of_search_have_no_empty_description(client, seeded_petition, path):
    response = client.get(path)

    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert _descriptions(response) == []
