from functools import wraps

from django.core.signing import BadSignature, SignatureExpired
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods

from petitions.models import Petition

from . import privacy, signing
from .captcha import with_captcha_csp
from .counting import public_count
from .forms import SignatureForm
from .models import Signature


def _published(slug):
    try:
        return Petition.objects.published_cached(slug)
    except Petition.DoesNotExist:
        raise Http404("No such petition.") from None


@with_captcha_csp
@require_http_methods(["GET", "POST"])
def sign(request, slug):
    petition = _published(slug)
    if not petition.is_open:
        return render(request, "signatures/closed.html", {"petition": petition}, status=403)
    form = SignatureForm(request.POST or None)
    if request.method == "POST":
        if form.is_bot:
            return redirect("signatures:check_email", slug=slug)
        if form.is_valid():
            signing.sign(
                petition,
                form.cleaned_data,
                ip_hash=privacy.ip_hash(request),
                language=get_language(),
            )
            return redirect("signatures:check_email", slug=slug)
    status = 400 if form.is_bound else 200
    return render(
        request, "signatures/sign.html", {"petition": petition, "form": form}, status=status
    )


@require_GET
def check_email(request, slug):
    return render(request, "signatures/check_email.html", {"petition": _published(slug)})


@require_GET
def thanks(request, slug):
    petition = _published(slug)
    return render(
        request,
        "signatures/thanks.html",
        {
            "petition": petition,
            "count": public_count(petition),
            "share_url": request.build_absolute_uri(petition.get_absolute_url()),
        },
    )


def _from_link(read_token):
    """Turn an emailed link's token into its signature; a broken or expired link is a 400.

    Links are opened by mail scanners too, so a GET only ever shows a button.
    """

    def decorator(view):
        @never_cache
        @require_http_methods(["GET", "POST"])
        @wraps(view)
        def wrapped(request, token):
            try:
                signature_id = read_token(token)
            except BadSignature as error:
                expired = isinstance(error, SignatureExpired)
                return render(
                    request, "signatures/link_invalid.html", {"expired": expired}, status=400
                )
            signature = get_object_or_404(
                Signature.objects.select_related("petition"), pk=signature_id
            )
            return view(request, signature)

        return wrapped

    return decorator


@_from_link(signing.read_confirm_token)
def confirm(request, signature):
    if request.method == "POST":
        signing.confirm(signature)
        signature.refresh_from_db()
    if signature.status in (Signature.Status.WITHDRAWN, Signature.Status.INVALIDATED):
        return render(request, "signatures/link_invalid.html", {"withdrawn": True}, status=400)
    if signature.confirmed_at:
        return redirect("signatures:thanks", slug=signature.petition.slug)
    return render(request, "signatures/confirm.html", {"petition": signature.petition})


@_from_link(signing.read_withdraw_token)
def withdraw(request, signature):
    if request.method == "POST":
        signing.withdraw(signature)
    if request.method == "POST" or signature.status == Signature.Status.WITHDRAWN:
        return redirect("signatures:withdrawn")
    return render(request, "signatures/withdraw.html", {"petition": signature.petition})


@require_GET
def withdrawn(request):
    return render(request, "signatures/withdrawn.html")


@require_GET
def privacy_notice(request):
    return render(request, "signatures/privacy.html")


@require_GET
@cache_control(public=True, max_age=5)
def count_json(request, slug):
    petition = _published(slug)
    return JsonResponse(
        {
            "slug": petition.slug,
            "count": public_count(petition),
            "goal": petition.goal,
            "is_open": petition.is_open,
            "generated_at": timezone.now().isoformat(timespec="seconds"),
        }
    )
