from django.conf import settings
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
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
