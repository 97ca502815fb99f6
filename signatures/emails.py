from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from . import links
from .models import Signature


def signature_email(signature):
    """The email a signature's state calls for, in the signer's language; None if none."""
    address = signature.email
    if not address:
        return None
    if signature.status == Signature.Status.CONFIRMED:
        template = "already_signed"
    elif signature.status in (Signature.Status.PENDING, Signature.Status.FLAGGED):
        template = "confirm"
    else:
        return None

    petition = signature.petition
    with translation.override(signature.language):
        context = {
            "signature": signature,
            "petition": petition,
            "first_name": signature.name.split()[0] if signature.name else "",
            "confirm_url": links.CONFIRM.url(signature.pk),
            "withdraw_url": links.WITHDRAW.url(signature.pk),
            "petition_url": links.absolute(petition.get_absolute_url()),
        }
        subject = petition.email_subject or gettext("Please confirm your email address")
        if template == "already_signed":
            subject = petition.email_subject or gettext("Your signature is already counted")
        text = render_to_string(f"signatures/email/{template}.txt", context)
        html = render_to_string(f"signatures/email/{template}.html", context)

    message = EmailMultiAlternatives(
        subject, text, _sender(petition, signature.language), [address]
    )
    message.attach_alternative(html, "text/html")
    return message


def mailing_email(mailing, *, language, address, signature_id):
    """`mailing` in `language` (its first language's text where that one is empty), with a
    one-click unsubscribe (RFC 8058) for signature `signature_id` in the headers and body."""
    return mailing_emails(mailing)(language, address, signature_id)


# Stands for the unsubscribe link in a language's text made once: the database cannot store
# a NUL character (nor do Django's form fields accept one), so no mailing's own text has it.
_UNSUBSCRIBE_LINK = "\x00unsubscribe\x00"


def mailing_emails(mailing):
    """A function (language, address, signature_id) → that signer's email of `mailing`, as
    mailing_email makes it.

    A mailing's emails differ only in the address and the unsubscribe link: the subject, the
    sender and the text around the link are made once per language, when its first signer
    needs them, so a batch does not render the same template for each of its signers.
    """
    petition = mailing.petition
    made = {}

    def email(language, address, signature_id):
        if language not in made:
            with translation.override(language):
                subject = mailing.subject or gettext("News")
                context = {
                    "body": mailing.body,
                    "petition": petition,
                    "unsubscribe_url": _UNSUBSCRIBE_LINK,
                }
                text = render_to_string("signatures/email/mailing.txt", context)
            made[language] = (subject, text, _sender(petition, language))
        subject, text, sender = made[language]
        with translation.override(language):
            unsubscribe_url = links.UNSUBSCRIBE.url(signature_id)
        headers = {
            "List-Unsubscribe": _OneLineHeader("List-Unsubscribe", f"<{unsubscribe_url}>"),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        body = text.replace(_UNSUBSCRIBE_LINK, unsubscribe_url)
        return EmailMessage(subject, body, sender, [address], headers=headers)

    return email


class _OneLineHeader(str):
    """A header sent on one line as written, however long (up to the 998 characters of RFC
    5322), for a URL in angle brackets.

    The email package folds a header longer than 78 characters, and a URL has no space to
    fold at, so it would cut the URL into RFC 2047 encoded-words ("=?utf-8?q?=3Chttps...").
    Those are not allowed in List-Unsubscribe (RFC 2369), and Gmail, for one, then shows no
    unsubscribe button at all. The email package keeps a value that has the header's `name`
    as it is (EmailPolicy.header_store_parse) and folds it by calling its `fold`.
    """

    name: str

    def __new__(cls, name, value):
        if not value.isascii() or "\r" in value or "\n" in value or len(name + value) > 996:
            raise ValueError(f"{name} must be one line of ASCII")
        header = super().__new__(cls, value)
        header.name = name
        return header

    def __getnewargs__(self):
        # Copies (the locmem backend keeps one of each email) and pickles keep the name.
        return (self.name, str(self))

    def fold(self, *, policy):
        return f"{self.name}: {self}{policy.linesep}"


def _sender(petition, language):
    """The site's address, under the name the petition sends as (see Petition.sender_name)."""
    with translation.override(language):
        name = petition.sender_name()
    return formataddr((name, settings.DEFAULT_FROM_EMAIL)) if name else settings.DEFAULT_FROM_EMAIL


# A digest lists this many comments; the queue in admin has the rest.
DIGEST_LIST_LIMIT = 50


def digest_email(comments, waiting):
    """The organizers' digest: `comments` newly awaiting moderation, of `waiting` in all."""
    with translation.override(settings.LANGUAGE_CODE):
        listed = [
            (comment, links.absolute(reverse("admin:signatures_comment_change", args=[comment.pk])))
            for comment in comments[:DIGEST_LIST_LIMIT]
        ]
        context = {
            "comments": listed,
            "more": len(comments) - len(listed),
            "waiting": waiting,
            "queue_url": links.absolute(reverse("admin:signatures_comment_changelist")),
        }
        subject = ngettext(
            "%(count)s comment awaits moderation",
            "%(count)s comments await moderation",
            waiting,
        ) % {"count": waiting}
        text = render_to_string("signatures/email/digest.txt", context)
    return EmailMessage(subject, text, settings.DEFAULT_FROM_EMAIL, settings.DIGEST_EMAILS)


def reply_email(reply, subscriber):
    """Tell `subscriber`'s author about `reply`, in their language, discreetly if asked."""
    petition = reply.petition
    with translation.override(subscriber.language):
        context = {
            "reply": reply,
            "petition": petition,
            "reply_url": links.absolute(reply.get_absolute_url()),
            "stop_url": links.STOP_REPLIES.url(subscriber.pk),
        }
        subject = gettext("A reply to your comment")
        text = render_to_string("signatures/email/reply.txt", context)
    return EmailMessage(subject, text, _sender(petition, subscriber.language), [subscriber.email])
