from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaks_filter
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext

from .models import Organization, Petition

# The page shows all updates; a feed reader needs only the recent ones.
FEED_LENGTH = 20


class UpdatesFeed(Feed):
    """A petition's published updates, in the language of the address (/ru/…, /en/…)."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Petition.objects.published(), slug=slug)

    def title(self, petition):
        return gettext("Updates: %(title)s") % {"title": petition.title}

    def link(self, petition):
        return petition.get_absolute_url()

    def subtitle(self, petition):
        return petition.lead

    def author_name(self, petition):
        organization = Organization.objects.speaking_for(petition)
        return organization.name if organization else None

    def items(self, petition):
        return petition.updates.published()[:FEED_LENGTH]

    def item_title(self, update):
        return update.title

    def item_description(self, update):
        # Organizers write plain text: escaped, with its paragraphs kept.
        return linebreaks_filter(update.text, autoescape=True)

    def item_pubdate(self, update):
        return update.published_at

    def item_updateddate(self, update):
        return update.updated_at
