from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Petition


class PetitionSitemap(Sitemap):
    """Every published petition in every language, each linking its translations."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "daily"

    def items(self):
        return Petition.objects.published().order_by("pk")

    def lastmod(self, petition):
        return petition.updated_at


class PageSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "monthly"

    def items(self):
        return ["home", "signatures:privacy"]

    def location(self, name):
        return reverse(name)
