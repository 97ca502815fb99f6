import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template import loader
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.cache import cache_control


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the real one."""
    return redirect(static("img/favicon.svg"), permanent=True)


@cache_control(public=True, max_age=3600)
def robots_txt(request):
    """Keep admin and the pages behind emailed links out of search engines."""
    return TemplateResponse(
        request,
        "robots.txt",
        {
            "sitemap_url": request.build_absolute_uri("/sitemap.xml"),
            "languages": settings.LANGUAGES,
            "admin_url": settings.ADMIN_URL,
        },
        content_type="text/plain",
    )


def bad_request(request, exception=None):
    """The 400 page, rendered as Django's own handler renders it but without its
    requires_csrf_token: that runs the CSRF check, which reads request.POST, and a body that
    could not be read the first time raised again inside the handler (a bare 500)."""
    return HttpResponseBadRequest(loader.render_to_string("400.html"))


def service_unavailable(retry_after):
    """The 503 page: the site is overloaded or its database is out of reach. Rendered without
    a request, so no context processor (and nothing else) can ask the database."""
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(retry_after)
    return response


def server_error(request):
    """The 500 page, unless the database did not answer (down, refusing connections, or over
    its statement timeout): that is a 503, worth retrying in a moment."""
    if isinstance(sys.exception(), (OperationalError, InterfaceError)):
        return service_unavailable(settings.DATABASE_RETRY_AFTER)
    return defaults.server_error(request)
