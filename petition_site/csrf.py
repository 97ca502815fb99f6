"""Cross-site POSTs refused by where they come from, not by a token in the page.

The public sign and comment forms sit on pages that are the same for every visitor and are
served from a shared cache (petitions.views.public_page), so they can carry no per-visitor
CSRF token and set no cookie. Browsers say where a POST comes from instead: `Sec-Fetch-Site`
(every current browser), else `Origin`. A POST from another site is refused with Django's
CSRF failure page (templates/403_csrf.html); one with neither header (an old browser, a
script, which could send any header it liked anyway) passes, as it would pass a form token it
fetched first. Other POSTs (the admin, the emailed links' buttons) keep Django's token check.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import get_callable
from django.utils.http import is_same_domain
from django.views.decorators.csrf import csrf_exempt

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
# What Sec-Fetch-Site says for a form sent from this origin, or typed/bookmarked by the user.
OWN_SITE = {"same-origin", "none"}


def _trusted_origin(request, origin):
    """The request's own origin, SITE_URL's, or one of CSRF_TRUSTED_ORIGINS (* for subdomains)."""
    try:
        own = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        own = None
    site = urlsplit(settings.SITE_URL)
    if origin in (own, f"{site.scheme}://{site.netloc}"):
        return True
    parsed = urlsplit(origin)
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        if origin == trusted:
            return True
        allowed = urlsplit(trusted)
        if (
            "*" in allowed.netloc
            and parsed.scheme == allowed.scheme
            and is_same_domain(parsed.netloc, allowed.netloc.lstrip("*"))
        ):
            return True
    return False


def cross_site_reason(request):
    """Why this request counts as sent from another site, or None when it does not."""
    if request.method in SAFE_METHODS:
        return None
    fetch_site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    if fetch_site in OWN_SITE:
        return None
    if fetch_site is not None and not (origin and _trusted_origin(request, origin)):
        return f"Sec-Fetch-Site is {fetch_site} and the origin is not trusted."
    if fetch_site is None and origin is not None and not _trusted_origin(request, origin):
        return f"Origin {origin} is not trusted."
    return None


def same_origin_post(view):
    """Refuse a POST sent from another site (403); no CSRF token or cookie is asked for."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        reason = cross_site_reason(request)
        if reason:
            return get_callable(settings.CSRF_FAILURE_VIEW)(request, reason=reason)
        return view(request, *args, **kwargs)

    return wrapped
