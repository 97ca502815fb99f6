"""The petition and home pages are one page for every anonymous visitor, served from a shared
cache for a few seconds: no cookie, no per-visitor token, headers that let proxies keep it."""

import pytest
from django.core.cache import cache
from django.test import Client

from signatures.models import Signature
from tests.factories import comment_data, make_comment, make_signature

PAGES = ["/en/", "/ru/", "/en/petitions/{slug}/", "/ru/petitions/{slug}/"]


@pytest.fixture
def featured(petition):
    petition.is_featured = True
    petition.save()
    return petition


@pytest.mark.parametrize("page", PAGES)
def test_two_visitors_get_the_same_bytes_and_no_cookie(featured, page):
    url = page.format(slug=featured.slug)

    first, second = Client().get(url), Client().get(url)

    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    for response in (first, second):
        assert not response.cookies
        assert "Set-Cookie" not in response.headers
        assert "Cookie" not in response.headers.get("Vary", "")
        assert b"csrfmiddlewaretoken" not in response.content
        assert b'method="post"' in response.content  # the sign and comment forms are there


@pytest.mark.parametrize("page", PAGES)
def test_proxies_may_keep_the_page_five_seconds_and_browsers_ask_again(featured, page):
    response = Client().get(page.format(slug=featured.slug))

    directives = {part.strip() for part in response.headers["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=0", "s-maxage=5"}


@pytest.mark.parametrize("page", PAGES)
def test_a_second_visit_within_the_window_is_not_rendered_again(
    featured, page, django_assert_num_queries
):
    url = page.format(slug=featured.slug)
    first = Client().get(url)

    with django_assert_num_queries(0):
        second = Client().get(url)

    assert second.content == first.content


def test_each_language_and_each_address_has_its_own_copy(featured):
    for number in range(11):  # two pages of comments
        make_comment(featured, text=f"Comment number {number}")

    english = Client().get(f"/en/petitions/{featured.slug}/").content.decode()
    russian = Client().get(f"/ru/petitions/{featured.slug}/").content.decode()
    older = Client().get(f"/en/petitions/{featured.slug}/?comments=2").content.decode()

    assert 'lang="en"' in english
    assert 'lang="ru"' in russian
    assert "Comment number 10" in english
    assert "Comment number 10" not in older
    assert "Comment number 0" in older


def test_a_message_for_one_visitor_never_reaches_the_shared_page(featured, client):
    anonymous = Client().get(f"/en/petitions/{featured.slug}/")
    client.post(f"/en/petitions/{featured.slug}/comment/", comment_data())

    page = client.get(f"/en/petitions/{featured.slug}/")

    assert page.content == anonymous.content
    assert b"awaiting moderation" not in page.content
    assert "awaiting moderation" in client.get(f"/en/petitions/{featured.slug}/comment/sent/").text


def test_the_count_may_be_stale_for_the_window_only(featured):
    url = f"/en/petitions/{featured.slug}/"
    before = Client().get(url).content
    make_signature(featured, status=Signature.Status.CONFIRMED)

    assert Client().get(url).content == before  # served from the cache
    cache.clear()  # the five seconds have passed
    assert Client().get(url).content != before


@pytest.fixture
def redis_cache(settings):
    """The shared cache production runs with several workers (compose.yaml): Redis."""
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        pytest.skip("No Redis at 127.0.0.1:6379.")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    cache.clear()
    yield
    cache.clear()


def test_the_page_is_shared_through_redis(featured, redis_cache, django_assert_num_queries):
    url = f"/en/petitions/{featured.slug}/"
    first = Client().get(url)

    with django_assert_num_queries(0):
        second = Client().get(url)

    assert second.content == first.content
    assert second.headers["Cache-Control"] == first.headers["Cache-Control"]
