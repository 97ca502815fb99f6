"""The app's own shared cache of public pages, in front of the sessions, CSRF and auth.

A page that declares itself the same for every visitor (`Cache-Control: public` with an
`s-maxage`, petitions.views.public_page) is kept whole in the cache CACHE_URL names for
PAGE_CACHE_SECONDS, as a proxy in front would keep it (docs/deploy.md), and served again
before the session, CSRF, authentication, second-factor and messages middleware run: a
repeat visit costs two cache reads, less than a trivial view behind the whole stack. What
the middleware above this one adds (the security headers, the content security policy, the
language) is added to every copy; what the middleware below adds is kept with the page.

This is Django's cache middleware (the one behind `cache_page`), told three more things:
- keep nothing else: not a response that sets a cookie, nor one that does not say both
  `public` and `s-maxage` (a logo kept for a year says `public` too, and keeps its own
  lifetime);
- leave the parameters that the networks a link is shared on add to every click (fbclid,
  utm_source, ...) out of the key: no page reads them, and with them each visitor from
  Facebook would render the page again;
- a cache that fails (Redis down or slow) makes a page uncached, not an error: every GET
  passes through here, the admin and the emailed links included.
"""

import copy
import logging
import time
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.middleware.cache import CacheMiddleware
from django.utils.http import parse_http_date_safe, split_directive_names

KEY_PREFIX = "page"
TRACKING_PARAMETERS = {
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "igshid",
    "twclid",
    "ttclid",
    "mc_cid",
    "mc_eid",
}

logger = logging.getLogger(__name__)


def _tracking(name):
    return name in TRACKING_PARAMETERS or name.startswith("utm_")


def keyed(request):
    """The request as the cache sees it: its query without tracking parameters."""
    pairs = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    kept = [(name, value) for name, value in pairs if not _tracking(name)]
    if len(kept) == len(pairs):
        return request
    cleaned = copy.copy(request)
    cleaned.META = {**request.META, "QUERY_STRING": urlencode(kept)}
    return cleaned


class PublicPageCacheMiddleware(CacheMiddleware):
    def __init__(self, get_response):
        super().__init__(
            get_response, page_timeout=settings.PAGE_CACHE_SECONDS, key_prefix=KEY_PREFIX
        )

    def _should_update_cache(self, request, response):
        directives = set(split_directive_names(response.get("Cache-Control", "")))
        return (
            super()._should_update_cache(request, response)
            and {"public", "s-maxage"} <= directives
            and not response.cookies
        )

    def process_request(self, request):
        request.page_cache_request = keyed(request)
        try:
            response = super().process_request(request.page_cache_request)
        except Exception as error:  # the cache's own errors: redis-py's, whatever the backend
            logger.warning("page cache unavailable: %s", type(error).__name__)
            request.page_cache_request._cache_update_cache = False
            return None
        if response is not None:
            # How old the copy is, so a proxy keeps it no longer than the rest of its
            # lifetime (Django counts from max-age, which is 0 here).
            expires = parse_http_date_safe(response.get("Expires", ""))
            if expires is not None:
                left = expires - time.time()
                response["Age"] = max(0, round(settings.PAGE_CACHE_SECONDS - left))
        return response

    def process_response(self, request, response):
        try:
            return super().process_response(
                getattr(request, "page_cache_request", request), response
            )
        except Exception as error:
            logger.warning("page cache unavailable: %s", type(error).__name__)
            return response
