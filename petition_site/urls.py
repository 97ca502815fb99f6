from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from petition_site.views import favicon, robots_txt
from petitions import logos
from petitions import views as petition_views
from petitions.sitemaps import PageSitemap, PetitionSitemap
from signatures import views as signature_views
from signatures.captcha import ChallengeView

handler400 = "petition_site.views.bad_request"
handler500 = "petition_site.views.server_error"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("petitions/<slug:slug>/count.json", signature_views.count_json, name="count_json"),
    # The same for every language: the ALTCHA widget fetches a challenge when a form is used.
    path("captcha/challenge/", ChallengeView.as_view(), name="captcha_challenge"),
    path("organizations/<int:pk>/logo-<str:digest>.webp", logos.logo, name="organization_logo"),
    path("favicon.ico", favicon),
    path("robots.txt", robots_txt),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"petitions": PetitionSitemap, "pages": PageSitemap}},
        name="sitemap",
    ),
]

urlpatterns += i18n_patterns(
    path("", petition_views.home, name="home"),
    path("petitions/", include("petitions.urls")),
    path("", include("signatures.urls")),
)

if settings.DEBUG:
    from django.views import defaults

    # Let developers look at the error pages while DEBUG shows tracebacks instead.
    urlpatterns += i18n_patterns(
        path("errors/404/", defaults.page_not_found, {"exception": Exception()}),
        path("errors/500/", defaults.server_error),
    )
