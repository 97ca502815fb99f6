from django import template
from django.conf import settings

from signatures import commenting
from signatures.captcha import RecaptchaField, altcha_settings
from signatures.counting import public_count, recent_public_signers, source_counts
from signatures.forms import CommentForm, SignatureForm
from signatures.models import Region

register = template.Library()


@register.inclusion_tag("includes/sign_panel.html", takes_context=True)
def signature_panel(context, petition, form=None):
    """The count, the form and the recent signers, as the petition page shows them."""
    regions = dict(Region.choices)
    return {
        "request": context["request"],
        "csp_nonce": context.get("csp_nonce"),
        "petition": petition,
        "count": public_count(petition),
        "form": form or SignatureForm(),
        "recent_signers": [
            (name, regions.get(region, "")) for name, region in recent_public_signers(petition)
        ],
    }


@register.inclusion_tag("includes/counter.html")
def signature_counter(petition, count=None):
    """The count, online and on paper when there are paper signatures, a bar toward the next
    milestone, and the goal."""
    if count is None:
        count = public_count(petition)
    return {
        "petition": petition,
        "progress": petition.progress(count),
        "sources": source_counts(petition),
    }


@register.inclusion_tag("includes/comment_thread.html", takes_context=True)
def comment_thread(context, petition):
    """A page of the approved comments (?comments=N, or ?comment=<id> to find one) and the form."""
    request = context["request"]
    return {
        "request": request,
        "petition": petition,
        "page": commenting.thread_page(
            petition, request.GET.get("comments"), showing=request.GET.get("comment")
        ),
        "form": CommentForm(petition=petition),
    }


@register.inclusion_tag("includes/captcha_scripts.html")
def captcha_scripts():
    """The CAPTCHA's scripts, once per page however many forms carry it."""
    if settings.CAPTCHA == "recaptcha":
        return {"captcha": "recaptcha", "api_url": RecaptchaField.script_url()}
    if settings.CAPTCHA == "altcha":
        return {"captcha": "altcha", "altcha": altcha_settings()}
    return {"captcha": "off"}
