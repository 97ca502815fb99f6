from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from petitions import views as petition_views

urlpatterns = [
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", petition_views.home, name="home"),
    path("petitions/", include("petitions.urls")),
)

if settings.DEBUG:
    from django.views import defaults

    # Let developers look at the error pages while DEBUG shows tracebacks instead.
    urlpatterns += i18n_patterns(
        path("errors/404/", defaults.page_not_found, {"exception": Exception()}),
        path("errors/500/", defaults.server_error),
    )
