import segno
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control

from signatures.captcha import with_captcha_csp
from signatures.counting import public_count, public_figures, region_counts

from . import sharing
from .models import Petition

OG_LOCALES = {"ru": "ru_RU", "en": "en_US", "ky": "ky_KG"}


# The whole page is one for every visitor (no cookie, no token: petition_site.csrf), so a
# shared cache may keep it as long as its count may be stale.
def public_page(view):
    """Declare the page one for every visitor: the app's page cache keeps it whole (keyed by
    its full address and the language, petition_site/page_cache.py), proxies may keep it as
    long, browsers check again each time (README: "The page cache")."""
    return cache_control(public=True, max_age=0, s_maxage=settings.PAGE_CACHE_SECONDS)(view)


def _render_petition(request, petition):
    share_url = request.build_absolute_uri(petition.get_absolute_url())
    return render(
        request,
        "petitions/detail.html",
        {
            "petition": petition,
            "addressees": petition.addressees.all(),
            "harms": petition.harms.all(),
            "reasons": petition.reasons.all(),
            "demands": petition.demands.all(),
            "updates": list(petition.updates.published()),
            "share_url": share_url,
            "og_locale": OG_LOCALES.get(get_language(), get_language()),
            "share_image_url": request.build_absolute_uri(
                reverse("petitions:share_image", args=[petition.slug])
            ),
        },
    )


@with_captcha_csp
@public_page
def home(request: HttpRequest) -> HttpResponse:
    # Which petition is featured, from a cache of a few seconds like the petition itself.
    slug = cache.get_or_set(
        "petitions:featured", lambda: getattr(Petition.objects.featured(), "slug", ""), 5
    )
    if not slug:
        raise Http404("No petition is published yet.")
    return _render_petition(request, Petition.objects.get_published_or_404(slug))


@with_captcha_csp
@public_page
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_petition(request, Petition.objects.get_published_or_404(slug))


@cache_control(public=True, max_age=sharing.IMAGE_CACHE_SECONDS)
def share_image(request: HttpRequest, slug: str) -> HttpResponse:
    """The preview image that WhatsApp, Telegram, Facebook and VK show for a shared link."""
    petition = Petition.objects.get_published_or_404(slug)
    url = request.build_absolute_uri(petition.get_absolute_url())
    png = sharing.share_image(petition, public_count(petition), url, get_language())
    return HttpResponse(png, content_type="image/png")


def poster(request: HttpRequest, slug: str) -> HttpResponse:
    """An A4 page to print: the title, the demands and a QR code of the petition's address."""
    petition = get_object_or_404(Petition.objects.published(), slug=slug)
    url = request.build_absolute_uri(petition.get_absolute_url())
    qr = segno.make(url, error="m")
    return render(
        request,
        "petitions/poster.html",
        {
            "petition": petition,
            "demands": petition.demands.all(),
            "address": sharing.short_address(url),
            "qr_svg": qr.svg_inline(
                dark="#000", svgclass="poster__qr", lineclass=None, omitsize=True
            ),
        },
    )


@cache_control(public=True, max_age=5, s_maxage=settings.PAGE_CACHE_SECONDS)
def api_detail(request: HttpRequest, slug: str) -> JsonResponse:
    """The petition's public figures as JSON; no personal data."""
    petition = Petition.objects.get_published_or_404(slug)
    figures = public_figures(petition)
    return JsonResponse(
        {
            **figures,
            "title": petition.title,
            "language": get_language(),
            "url": request.build_absolute_uri(petition.get_absolute_url()),
            "status": petition.status,
            "closes_at": petition.closes_at.isoformat() if petition.closes_at else None,
            "regions": region_counts(petition),
            # The name this document used before for "generated_at"; kept for one release.
            "updated_at": figures["generated_at"],
        },
        json_dumps_params={"ensure_ascii": False},
    )
