from django.http import Http404
from django.shortcuts import get_object_or_404, render

from signatures.captcha import with_captcha_csp

from .models import Petition


def _render_petition(request, petition):
    return render(
        request,
        "petitions/detail.html",
        {
            "petition": petition,
            "addressees": petition.addressees.all(),
            "harms": petition.harms.all(),
            "reasons": petition.reasons.all(),
            "demands": petition.demands.all(),
        },
    )


@with_captcha_csp
def home(request):
    petition = Petition.objects.featured()
    if petition is None:
        raise Http404("No petition is published yet.")
    return _render_petition(request, petition)


@with_captcha_csp
def detail(request, slug):
    petition = get_object_or_404(Petition.objects.published(), slug=slug)
    return _render_petition(request, petition)
