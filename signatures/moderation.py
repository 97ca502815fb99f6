"""Comment moderation: the rules a new comment meets, and every change of a comment's state.

The public side (commenting.post, signing.sign) and the admin (its actions and reply view)
both go through these functions, so a state change always records who decided and when,
and always sends what it should (the digest to organizers, reply notifications).
"""

import re

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from .models import Comment, ModerationSettings
from .tasks import enqueue_at, send_moderation_digest, send_reply_notification

# A web address as people type one: with a scheme, with www., or a bare domain on a common
# top-level domain. Each address counts once, however long.
_LINK = re.compile(
    r"(?:https?://|ftp://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|info|biz|io|me|xyz|top|ru|kg|kz|su|рф)\b\S*",
    re.IGNORECASE,
)


class ThreadClosed(Exception):
    """The comment or its thread is spam or removed: nobody may reply in it."""


def count_links(text):
    return len(_LINK.findall(text))


def word_list(text):
    """The entries of a word list field: one per line, blank lines ignored, any case."""
    return [line.strip().casefold() for line in text.splitlines() if line.strip()]


def _contains_any(words, comment):
    """True if the name or text contains an entry, also inside a word (as WordPress does).

    Not the email: it is optional, so a spammer leaves it out, and usually not stored.
    """
    entries = word_list(words)
    if not entries:
        return False
    haystack = f"{comment.author_name}\n{comment.text}".casefold()
    return any(entry in haystack for entry in entries)


def _has_approved_comment(email_hash):
    return bool(email_hash) and Comment.objects.approved().filter(email_hash=email_hash).exists()


def decide_status(comment, rules):
    """The state a new comment starts in, under the organizers' ModerationSettings `rules`.

    A block word sends it to spam. A hold word, too many links, or the "hold" setting keep
    it pending. Otherwise it is approved: with "first-time", when the same email (by hash)
    already has an approved comment.
    """
    if _contains_any(rules.block_words, comment):
        return Comment.Status.SPAM
    if _contains_any(rules.hold_words, comment):
        return Comment.Status.PENDING
    if count_links(comment.text) >= rules.max_links:
        return Comment.Status.PENDING
    if rules.hold == ModerationSettings.Hold.FIRST_TIME and _has_approved_comment(
        comment.email_hash
    ):
        return Comment.Status.APPROVED
    return Comment.Status.PENDING


def approve(comments, moderator=None):
    """Publish the comments; returns how many changed."""
    return _set_status(comments, Comment.Status.APPROVED, moderator)


def mark_spam(comments, moderator=None):
    """Hide the comments as spam, kept for audit until purged; returns how many changed."""
    return _set_status(comments, Comment.Status.SPAM, moderator)


def remove(comments, moderator=None):
    """Hide the comments, kept for audit until purged; returns how many changed."""
    return _set_status(comments, Comment.Status.REMOVED, moderator)


def _set_status(comments, status, moderator):
    """One UPDATE of the comments not already in `status`, under row locks."""
    with transaction.atomic():
        changed = list(
            Comment.objects.filter(pk__in=comments.values("pk"))
            .exclude(status=status)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        Comment.objects.filter(pk__in=changed).update(
            status=status, moderated_at=timezone.now(), moderated_by=moderator
        )
        if status == Comment.Status.APPROVED:
            for reply in Comment.objects.filter(pk__in=changed, parent__isnull=False):
                notify_thread(reply)
    return len(changed)


def reply_as_organizer(comment, text, moderator):
    """Publish an organizer's reply in `comment`'s thread, approving it first if pending.

    Raises ThreadClosed if the comment or its thread is spam or removed.
    """
    thread = comment.thread
    closed = (Comment.Status.SPAM, Comment.Status.REMOVED)
    if comment.status in closed or thread.status in closed:
        raise ThreadClosed
    now = timezone.now()
    with transaction.atomic():
        approve(Comment.objects.filter(pk__in=[comment.pk, thread.pk]), moderator)
        reply = Comment.objects.create(
            petition_id=thread.petition_id,
            parent=thread,
            status=Comment.Status.APPROVED,
            is_organizer=True,
            text=text,
            language=get_language() or settings.LANGUAGE_CODE,
            created_at=now,
            moderated_at=now,
            moderated_by=moderator,
        )
        notify_thread(reply)
    return reply


def after_posting(comment, rules):
    """What a newly stored comment sets off: the digest if it waits, notifications if shown."""
    if comment.status == Comment.Status.PENDING:
        schedule_digest(rules)
    elif comment.status == Comment.Status.APPROVED and comment.parent_id:
        notify_thread(comment)


def notify_thread(reply):
    """Queue an email to everyone in the reply's thread who asked to hear of replies.

    One email per address (by hash), in the language of that person's latest comment, and
    none to the reply's own author.
    """
    subscribers = (
        Comment.objects.approved()
        .filter(Q(pk=reply.parent_id) | Q(parent_id=reply.parent_id), notify_replies=True)
        .exclude(pk=reply.pk)
        .order_by("created_at", "pk")
        .values_list("email_hash", "pk")
    )
    latest = {email_hash: pk for email_hash, pk in subscribers if email_hash != reply.email_hash}
    for subscriber_id in latest.values():
        send_reply_notification.enqueue(reply.pk, subscriber_id)


def schedule_digest(rules):
    if settings.DIGEST_EMAILS:
        enqueue_at(send_moderation_digest, rules.next_digest_at(timezone.now()))
