"""Search engines get a description of every page they may index."""

import re

import pytest

SLUG = "stop-criminalization-of-sex-work-kyrgyzstan"


def _description(response):
    [description] = re.findall(
        r'<meta name="description" content="([^"]*)">', response.content.decode()
    )
    return description


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize(
    "path", ["/{}/", f"/{{}}/petitions/{SLUG}/", f"/{{}}/petitions/{SLUG}/sign/", "/{}/privacy/"]
)
def test_every_indexable_page_describes_itself(client, seeded_petition, language, path):
    response = client.get(path.format(language))

    assert '<meta name="robots"' not in response.content.decode()
    assert len(_description(response)) > 50


def test_the_privacy_notice_is_described_in_the_visitors_language(client, seeded_petition):
    description = _description(client.get("/ru/privacy/"))

    assert "отозвать подпись" in description
