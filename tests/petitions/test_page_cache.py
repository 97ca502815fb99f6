"""The petition page keeps the parts every visitor sees alike in the cache, never too long.

What may change is part of each fragment's key: the petition's last save, whether it is
open, the language, and for an empty form the CAPTCHA. (The whole page is cached for a few
seconds too, tests/petitions/test_public_page.py; these tests forget it to see the fragments.)
"""

from datetime import timedelta

from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.cache import get_cache_key

from tests.factories import make_petition, sign_data


def _page(client, petition, language="en"):
    path = f"/{language}/petitions/{petition.slug}/"
    with translation.override(language):
        key = get_cache_key(RequestFactory().get(path), key_prefix="page", cache=cache)
    if key:
        cache.delete(key)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def _forget_the_petition_lookup(petition):
    # The view's own 5-second lookup of the petition; the fragments are what is tested.
    cache.delete(f"petitions:published:{petition.slug}")


def test_an_organizers_edit_shows_at_once(client, petition):
    assert "Clean air now" not in _page(client, petition)

    petition.title_en = "Clean air now"
    petition.lead_en = "A new lead."
    petition.save()
    _forget_the_petition_lookup(petition)

    html = _page(client, petition)
    assert "<h1>Clean air now</h1>" in html
    assert "A new lead." in html


def test_each_language_has_its_own_copy(client, petition):
    petition.title_ru = "Чистый воздух"
    petition.save()

    assert "<h1>Чистый воздух</h1>" in _page(client, petition, "ru")
    assert "<h1>Чистый воздух</h1>" not in _page(client, petition, "en")


def test_turning_the_captcha_on_shows_it_in_the_cached_form(client, petition, settings):
    assert 'class="g-recaptcha"' not in _page(client, petition)

    settings.CAPTCHA = "recaptcha"
    settings.RECAPTCHA_PUBLIC_KEY = "public-key"
    settings.RECAPTCHA_PRIVATE_KEY = "private-key"

    assert _page(client, petition).count('class="g-recaptcha"') == 2  # signing, commenting


def test_a_petition_past_its_closing_date_says_so_at_once(client, petition):
    assert "closed" not in _page(client, petition)

    # No save: the date passes while the page's fragments sit in the cache.
    type(petition).objects.filter(pk=petition.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    _forget_the_petition_lookup(petition)

    html = _page(client, petition)
    assert "<strong>closed</strong>" in html
    assert "This petition is closed" in html


def test_a_new_captcha_site_key_replaces_the_cached_form(client, petition, settings):
    settings.CAPTCHA = "recaptcha"
    settings.RECAPTCHA_PRIVATE_KEY = "private-key"
    settings.RECAPTCHA_PUBLIC_KEY = "old-key"
    assert 'data-sitekey="old-key"' in _page(client, petition)

    settings.RECAPTCHA_PUBLIC_KEY = "new-key"

    html = _page(client, petition)
    assert 'data-sitekey="new-key"' in html
    assert "old-key" not in html


def test_a_form_with_errors_is_never_written_to_the_cache(client, petition):
    # The first form rendered since the cache was emptied is one with errors.
    client.post(f"/en/petitions/{petition.slug}/sign/", sign_data(name="<b>"))

    html = _page(client, petition)
    empty_form = client.get(f"/en/petitions/{petition.slug}/sign/").content.decode()

    for page in (html, empty_form):
        assert "A name cannot contain" not in page
        assert "&lt;b&gt;" not in page


def test_a_form_with_errors_is_never_served_from_the_cache(client, petition):
    _page(client, petition)

    response = client.post(f"/en/petitions/{petition.slug}/sign/", sign_data(name="<b>"))
    html = response.content.decode()

    assert response.status_code == 400
    assert "A name cannot contain &lt; or &gt;." in html
    assert 'value="&lt;b&gt;"' in html
    assert "A name cannot contain" not in _page(client, petition)


def test_the_home_page_shows_the_featured_petition_and_404s_without_one(client, db):
    assert client.get("/en/").status_code == 404
    cache.clear()  # the empty answer is kept a few seconds too
    make_petition(title_en="Newer, not featured")
    featured = make_petition(title_en="Featured", is_featured=True)
    type(featured).objects.filter(pk=featured.pk).update(created_at=timezone.now() - timedelta(1))

    html = client.get("/en/").content.decode()

    assert "<h1>Featured</h1>" in html
