"""The app's page cache (petition_site/page_cache.py): what it keeps, and what a kept page
skips."""

from django.http import HttpResponse
from django.test import Client, RequestFactory
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


def _twice(inner, path="/en/petitions/kept/"):
    middleware = PublicPageCacheMiddleware(inner)
    return [middleware(RequestFactory().get(path)) for _visit in range(2)]


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
