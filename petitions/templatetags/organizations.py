from django import template

from petitions.models import Organization, Petition

register = template.Library()


@register.simple_tag(takes_context=True)
def organization(context):
    """Who speaks on this page: whoever runs the page's petition, else the site's face; or None."""
    if context.get("request") is None:
        # The 500 page renders without a request, perhaps because the database is down.
        return None
    petition = context.get("petition")
    if isinstance(petition, Petition):
        return Organization.objects.speaking_for(petition)
    return Organization.objects.for_site()


@register.filter
def unbroken(text):
    """`text` kept on one line: a date like «8 марта 2026 г.» must not leave its «г.» behind."""
    return text.replace(" ", "\N{NO-BREAK SPACE}")
