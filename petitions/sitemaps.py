from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Petition


class TranslatedSitemap(Sitemap):
    """Each page in every language, each linking its translations (hreflang)."""

    i18n = True
    alternates = True
    x_default = True


class PetitionSitemap(TranslatedSitemap):
    changefreq = "daily"

    def items(self):
        return Petition.objects.published().order_by("pk")

    def lastmod(self, petition):
        return petition.updated_at


class PageSitemap(TranslatedSitemap):
    changefreq = "monthly"

    def items(self):
        return ["home", "signatures:privacy"]

    def location(self, name):
        return reverse(name)
