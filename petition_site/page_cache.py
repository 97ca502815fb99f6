"""The app's own shared cache of public pages, in front of the sessions, CSRF and auth.

A page that declares itself the same for every visitor (`Cache-Control: public` with an
`s-maxage`, petitions.views.public_page) is kept whole in the cache CACHE_URL names for
PAGE_CACHE_SECONDS, as a proxy in front would keep it (docs/deploy.md), and served again
before the session, CSRF, authentication, second-factor and messages middleware run: a
repeat visit costs two cache reads, less than a trivial view behind the whole stack. What
the middleware above this one adds (the security headers, the content security policy, the
language) is added to every copy; what the middleware below adds is kept with the page.

This is Django's cache middleware (the one behind `cache_page`), told to keep nothing else:
not a response that sets a cookie, nor one that does not say both `public` and `s-maxage`
(a logo kept for a year says `public` too, and must keep its own lifetime).
"""

from django.conf import settings
from django.middleware.cache import CacheMiddleware
from django.utils.http import split_directive_names

KEY_PREFIX = "page"


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
