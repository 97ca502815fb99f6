"""Every emailed link is defined once, in signatures.links, and expires."""

import pytest
from django.core import signing
from django.urls import URLPattern, URLResolver, get_resolver

from signatures import links


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def test_every_url_that_takes_a_token_is_a_link_the_log_scrubber_knows():
    with_token = [route for route in _routes(get_resolver().url_patterns) if "token" in route]

    assert sorted(route.split("/", 1)[1] for route in with_token) == sorted(
        link.route for link in links.ALL
    )


@pytest.mark.parametrize("link", links.ALL, ids=lambda link: link.kind)
def test_every_link_expires(link, settings):
    token = link.token(7)
    assert link.read(token) == 7

    setattr(settings, link.lifetime_setting, -1)
    with pytest.raises(signing.SignatureExpired):
        link.read(token)


def test_a_token_of_one_kind_opens_no_other():
    for link in links.ALL:
        for other in links.ALL:
            if other is not link:
                with pytest.raises(signing.BadSignature):
                    other.read(link.token(7))


@pytest.mark.parametrize("link", links.ALL, ids=lambda link: link.kind)
def test_the_redactor_cuts_the_token_wherever_the_link_appears(link):
    line = "GET /ru/{path}/ HTTP/1.1, '/en/{path}', /{path}?a=b"

    assert links.redact(line.format(path=link.prefix + link.token(7))) == line.format(
        path=link.prefix + "[token]"
    )
