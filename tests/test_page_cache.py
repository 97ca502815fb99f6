"""The app's page cache (petition_site/page_cache.py): what it keeps, and what a kept page
skips."""

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.utils.cache import patch_cache_control

from petition_site.page_cache import PublicPageCacheMiddleware


class InnerStack:
    """Stands for the middleware below the page cache and the view: counts what reaches it."""

    def __init__(self, set_cookie=False, **cache_control):
        self.set_cookie = set_cookie
        self.cache_control = cache_control
        self.calls = 0

    def __call__(self, request):
        self.calls += 1
        response = HttpResponse(f"render {self.calls}")
        patch_cache_control(response, **self.cache_control)
        if self.set_cookie:
            response.set_cookie("sessionid", "abc")
        return response


def _visits(inner, *paths):
    middleware = PublicPageCacheMiddleware(inner)
    return [middleware(RequestFactory().get(path)) for path in paths]


def _twice(inner, path="/en/petitions/kept/"):
    return _visits(inner, path, path)


def test_a_shared_page_is_rendered_once_while_it_is_kept(db):
    inner = InnerStack(public=True, max_age=0, s_maxage=5)

    first, second = _twice(inner)

    assert inner.calls == 1
    assert second.content == first.content == b"render 1"


def test_a_page_that_is_not_declared_shared_is_rendered_each_time(db):
    for cache_control in ({}, {"public": True, "max_age": 3600}, {"private": True}):
        inner = InnerStack(**cache_control)

        first, second = _twice(inner, "/en/some-page/")

        assert inner.calls == 2, cache_control
        assert (first.content, second.content) == (b"render 1", b"render 2")


def test_a_page_that_sets_a_cookie_is_never_kept(db):
    inner = InnerStack(public=True, s_maxage=5, set_cookie=True)

    _twice(inner)

    assert inner.calls == 2


def test_a_kept_page_carries_the_headers_of_the_whole_stack(petition):
    url = f"/ru/petitions/{petition.slug}/"
    first, second = Client().get(url), Client().get(url)

    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "Content-Language",
        "Permissions-Policy",
        "X-Content-Type-Options",
        "Cache-Control",
    ):
        assert second.headers.get(header) == first.headers.get(header) is not None, header
    assert second.content == first.content
    assert "Age" not in first.headers
    assert 0 <= int(second["Age"]) <= 5  # a hit, and how old it is


def test_links_shared_on_social_networks_share_one_copy(db):
    inner = InnerStack(public=True, max_age=0, s_maxage=5)

    responses = _visits(
        inner,
        "/en/petitions/kept/?fbclid=IwAR0abc",
        "/en/petitions/kept/?fbclid=IwAR1xyz&utm_source=facebook",
        "/en/petitions/kept/",
        "/en/petitions/kept/?comments=2&utm_medium=social",
        "/en/petitions/kept/?comments=2",
        "/en/petitions/kept/?comments=3",
    )

    assert [response.content for response in responses] == [
        b"render 1",
        b"render 1",
        b"render 1",
        b"render 2",
        b"render 2",
        b"render 3",
    ]


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens: a cache server that is down
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
)
def test_a_cache_that_is_down_serves_pages_uncached(db, caplog):
    inner = InnerStack(public=True, max_age=0, s_maxage=5)

    first, second = _twice(inner)

    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.content, second.content) == (b"render 1", b"render 2")
    assert "page cache unavailable: ConnectionError" in caplog.text


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_kept_page_carries_no_nonce_and_keeps_the_captchas_policy(petition, settings, language):
    settings.CAPTCHA = "recaptcha"
    settings.RECAPTCHA_PUBLIC_KEY = "public-key"
    settings.RECAPTCHA_PRIVATE_KEY = "private-key"
    url = f"/{language}/petitions/{petition.slug}/"

    first, second = Client().get(url), Client().get(url)

    assert "Age" in second.headers
    # One nonce kept in a copy for everyone would not match the next visitor's header.
    assert b"nonce=" not in second.content
    assert "https://www.google.com" in second["Content-Security-Policy"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
