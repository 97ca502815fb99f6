from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.signing import BadSignature, SignatureExpired
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from petition_site.csrf import same_origin_post
from petitions.models import Petition

from . import commenting, links, mailings, privacy, signing
from .captcha import with_captcha_csp
from .counting import public_count, public_figures
from .forms import CommentForm, SignatureForm
from .models import Comment, Signature


@same_origin_post
@with_captcha_csp
@require_http_methods(["GET", "HEAD", "POST"])
def sign(request: HttpRequest, slug: str) -> HttpResponse:
    petition = Petition.objects.get_published_or_404(slug)
    if not petition.is_open:
        return _closed_page(request, petition)
    # An empty POST is a form with every field missing, not a visit.
    form = SignatureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_bot:
            return redirect("signatures:check_email", slug=slug)
        if form.is_valid():
            try:
                signing.sign(
                    petition,
                    form.cleaned_data,
                    ip_hash=privacy.ip_hash(request),
                    language=get_language(),
                )
            except signing.PetitionClosed:
                return _closed_page(request, petition)
            return redirect("signatures:check_email", slug=slug)
    status = 400 if form.is_bound else 200
    return render(
        request, "signatures/sign.html", {"petition": petition, "form": form}, status=status
    )


def _closed_page(request, petition, *, unconfirmed=False):
    return render(
        request,
        "signatures/closed.html",
        {"petition": petition, "unconfirmed": unconfirmed},
        status=403,
    )


@require_safe
def check_email(request: HttpRequest, slug: str) -> HttpResponse:
    return render(
        request,
        "signatures/check_email.html",
        {"petition": Petition.objects.get_published_or_404(slug)},
    )


@require_safe
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    return _thanks_page(request, Petition.objects.get_published_or_404(slug))


def _thanks_page(request, petition):
    return render(
        request,
        "signatures/thanks.html",
        {
            "petition": petition,
            "count": public_count(petition),
            "share_url": request.build_absolute_uri(petition.get_absolute_url()),
        },
    )


def _from_link(link, queryset):
    """Turn an emailed link's token into its row; a broken or expired link is a 400.

    Links are opened by mail scanners too, so a GET only ever shows a button.
    """

    def decorator(view):
        @never_cache
        @require_http_methods(["GET", "HEAD", "POST"])
        @wraps(view)
        def wrapped(request, token):
            try:
                pk = link.read(token)
            except BadSignature as error:
                expired = isinstance(error, SignatureExpired)
                return render(
                    request,
                    "signatures/link_invalid.html",
                    {"expired": expired, "kind": link.kind},
                    status=400,
                )
            return view(request, get_object_or_404(queryset, pk=pk))

        return wrapped

    return decorator


@_from_link(links.CONFIRM, Signature.objects.select_related("petition"))
def confirm(request: HttpRequest, signature: Signature) -> HttpResponse:
    if request.method == "POST":
        try:
            signing.confirm(signature)
        except signing.PetitionClosed:
            return _closed_page(request, signature.petition, unconfirmed=True)
        signature.refresh_from_db()
    if signature.status in (Signature.Status.WITHDRAWN, Signature.Status.INVALIDATED):
        return render(request, "signatures/link_invalid.html", {"withdrawn": True}, status=400)
    if signature.confirmed_at and request.method == "POST":
        # The thank-you page comes from the process that just dropped its cached count, so the
        # signer sees themselves counted; after a redirect another worker, with its own cache,
        # could show the count of a few seconds ago. Confirming again is harmless.
        return _thanks_page(request, Petition.objects.get_published_or_404(signature.petition.slug))
    if signature.confirmed_at:
        return redirect("signatures:thanks", slug=signature.petition.slug)
    if not signature.petition.is_open:
        return _closed_page(request, signature.petition, unconfirmed=True)
    return render(request, "signatures/confirm.html", {"petition": signature.petition})


@_from_link(links.WITHDRAW, Signature.objects.select_related("petition"))
def withdraw(request: HttpRequest, signature: Signature) -> HttpResponse:
    if request.method == "POST":
        signing.withdraw(signature)
    if request.method == "POST" or signature.status == Signature.Status.WITHDRAWN:
        return redirect("signatures:withdrawn")
    return render(request, "signatures/withdraw.html", {"petition": signature.petition})


@same_origin_post
@with_captcha_csp
@require_http_methods(["GET", "HEAD", "POST"])
def comment(request: HttpRequest, slug: str) -> HttpResponse:
    """The comment form on a page of its own: for replies, and to show a form's errors."""
    petition = Petition.objects.get_published_or_404(slug)
    if request.method == "POST":
        form = CommentForm(request.POST, petition=petition)
        if form.is_bot:
            messages.info(request, _("Your comment is awaiting moderation."))
            return redirect("signatures:comment_sent", slug=slug)
        if form.is_valid():
            return _post_comment(request, petition, form.cleaned_data)
        replying_to = commenting.approved_comment(petition, request.POST.get("parent"))
    else:
        replying_to = commenting.approved_comment(petition, request.GET.get("reply_to"))
        form = CommentForm(petition=petition, initial={"parent": getattr(replying_to, "pk", None)})
    return render(
        request,
        "signatures/comment.html",
        {"petition": petition, "form": form, "replying_to": replying_to},
        status=400 if form.is_bound else 200,
    )


def _post_comment(request, petition, data):
    try:
        comment = commenting.post(
            petition,
            text=data["text"],
            author_name=data["author_name"],
            email=data["email"],
            notify_replies=data["notify_replies"],
            replying_to=data["parent"],
            ip_hash=privacy.ip_hash(request),
            language=get_language(),
            held=data["without_captcha"],
        )
    except commenting.TooManyComments as limit:
        response = render(
            request,
            "signatures/comment_limit.html",
            {
                "petition": petition,
                "flood": limit.flood,
                "seconds": limit.retry_after,
                "text": data["text"],
            },
            status=429,
        )
        response["Retry-After"] = str(limit.retry_after)
        return response
    sent = reverse("signatures:comment_sent", kwargs={"slug": petition.slug})
    if comment.status == Comment.Status.APPROVED:
        messages.success(request, _("Thank you. Your comment is published."))
        return redirect(f"{sent}?comment={comment.pk}")
    # Spam hears the same as everyone else.
    messages.info(request, _("Your comment is awaiting moderation."))
    return redirect(sent)


@never_cache
@require_safe
def comment_sent(request, slug):
    """What the poster hears after sending a comment: the petition page is the same for every
    visitor (and cached), so the message is shown here, with the comment once it is published."""
    petition = Petition.objects.get_published_or_404(slug)
    return render(
        request,
        "signatures/comment_sent.html",
        {
            "petition": petition,
            "comment": commenting.approved_comment(petition, request.GET.get("comment")),
        },
    )


@_from_link(links.STOP_REPLIES, Comment.objects.select_related("petition"))
def stop_replies(request: HttpRequest, comment: Comment) -> HttpResponse:
    if request.method == "POST":
        commenting.stop_replies(comment)
        return redirect(request.path)
    return render(
        request,
        "signatures/stop_replies.html",
        {"petition": comment.petition, "stopped": not comment.notify_replies},
    )


# Mail providers POST here with no cookie (RFC 8058 one-click), so there is no CSRF token to
# check; the signed token is what proves the request, and unsubscribing harms no one.
@csrf_exempt
@_from_link(links.UNSUBSCRIBE, Signature.objects.all())
def unsubscribe(request, signature):
    if request.method == "POST":
        mailings.unsubscribe(signature)
    # Opened again (or in the other language) after unsubscribing: it is done, not asked.
    done = request.method == "POST" or mailings.is_unsubscribed(signature.email_hash)
    return render(request, "signatures/unsubscribe.html", {"done": done})


@require_safe
def withdrawn(request: HttpRequest) -> HttpResponse:
    return render(request, "signatures/withdrawn.html")


@require_safe
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "signatures/privacy.html", {"captcha": settings.CAPTCHA})


@require_safe
@cache_control(public=True, max_age=5, s_maxage=settings.PAGE_CACHE_SECONDS)
def count_json(request: HttpRequest, slug: str) -> JsonResponse:
    figures = public_figures(Petition.objects.get_published_or_404(slug))
    # "count" is the name this document used before; kept for one release (README).
    return JsonResponse({**figures, "count": figures["confirmed_count"]})
