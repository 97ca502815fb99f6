"""A comment's way in, and the public thread. Views and signing.sign call these."""

from datetime import timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from . import moderation, privacy
from .models import MAX_ID, Comment, ModerationSettings


class TooManyComments(Exception):
    """Over the rate limit or the flood guard; nothing was stored."""

    def __init__(self, retry_after, *, flood):
        super().__init__(retry_after)
        self.retry_after = retry_after
        self.flood = flood


def post(
    petition,
    *,
    text,
    author_name,
    email,
    notify_replies,
    ip_hash,
    language,
    replying_to=None,
    held=False,
):
    """Store a comment in the state the moderation rules give it; raises TooManyComments.

    A `held` comment (one sent without the CAPTCHA's solution) is never published before a
    moderator has read it.

    A reply to a reply joins the thread of its top-level comment. The email is kept (encrypted)
    only to notify of replies; otherwise only its keyed hash, which the rules and the flood
    guard need. One transaction: the limits, the insert and the tasks it sets off.
    """
    now = timezone.now()
    comment = Comment(
        petition=petition,
        parent=replying_to.thread if replying_to else None,
        author_name=author_name,
        email_hash=privacy.email_hash(email) if email else "",
        email_encrypted=privacy.encrypt(email) if notify_replies else "",
        notify_replies=notify_replies,
        text=text,
        language=language,
        ip_hash=ip_hash,
        created_at=now,
    )
    rules = ModerationSettings.load()
    with transaction.atomic():
        _one_at_a_time(ip_hash)
        _check_limits(comment, now)
        comment.status = moderation.decide_status(comment, rules)
        if held and comment.status == Comment.Status.APPROVED:
            comment.status = Comment.Status.PENDING
        if comment.status != Comment.Status.PENDING:
            comment.moderated_at = now
        comment.save()
        moderation.after_posting(comment, rules)
    return comment


def _one_at_a_time(ip_hash):
    """Serialise comments from one address until the transaction ends, across all workers.

    Without it, two requests at the same instant would both pass the limits. SQLite
    (development) serialises every write anyway.
    """
    if connection.vendor == "postgresql" and ip_hash:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(ip_hash[:15], 16)])


def _check_limits(comment, now):
    """The flood guard (one comment per person every few seconds), then the hourly limit."""
    flood_seconds = settings.COMMENT_FLOOD_SECONDS
    if comment.email_hash:
        same_person = Comment.objects.filter(email_hash=comment.email_hash)
    else:
        same_person = Comment.objects.filter(ip_hash=comment.ip_hash)
    if same_person.filter(created_at__gt=now - timedelta(seconds=flood_seconds)).exists():
        raise TooManyComments(flood_seconds, flood=True)
    window = settings.COMMENT_RATE_WINDOW
    limit = settings.COMMENT_RATE_LIMIT
    # Counting stops at the limit, so an address that floods costs no more per request.
    recent = Comment.objects.from_ip_hash_since(comment.ip_hash, now - timedelta(seconds=window))
    if recent.order_by()[limit - 1 : limit].exists():
        raise TooManyComments(window, flood=False)


def parse_id(value):
    """A comment id from a query string, or None for anything else."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def approved_comment(petition, comment_id):
    """The petition's approved comment with this (unchecked) id, or None."""
    comment_id = parse_id(comment_id)
    if comment_id is None:
        return None
    return Comment.objects.approved().filter(petition=petition, pk=comment_id).first()


def thread_page(petition, number, *, showing=None):
    """One page of the petition's threads, newest first, each with its approved replies.

    `showing`: a comment id whose thread's page to open instead of `number`.
    """
    threads = Comment.objects.threads(petition).prefetch_related(
        Prefetch(
            "replies",
            queryset=Comment.objects.approved().order_by("created_at", "pk"),
            to_attr="approved_replies",
        )
    )
    paginator = Paginator(threads, settings.COMMENTS_PER_PAGE)
    comment = approved_comment(petition, showing)
    if comment is not None:
        thread = comment.thread
        newer = Comment.objects.threads(petition).filter(
            Q(created_at__gt=thread.created_at) | Q(created_at=thread.created_at, pk__gt=thread.pk)
        )
        number = newer.count() // settings.COMMENTS_PER_PAGE + 1
    return paginator.get_page(number)


def stop_replies(comment):
    """No more reply emails to this address: erase it from every comment that holds it."""
    same_address = Q(pk=comment.pk)
    if comment.email_hash:
        same_address |= Q(email_hash=comment.email_hash)
    Comment.objects.filter(same_address).update(notify_replies=False, email_encrypted="")
