"""Every link the site emails, defined once: its kind, salt, lifetime and URL.

The emails make their links here, the views read them back here, the URL map routes them
from here, and both log redactors (petition_site.logs for Django, gunicorn.conf.py for the
access log) cut their tokens out with `redact`, built from the same list: a link added here
can't be forgotten by a redactor. Every link expires; a broken or expired one is a 400 page.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

DAY = 24 * 3600


@dataclass(frozen=True)
class Link:
    # The URL's name in the `signatures` namespace.
    kind: str
    # Where the link points, under the language prefix; its token is the last part.
    prefix: str
    # Separates the kinds: a withdrawal token never opens a confirmation link.
    salt: str
    # The setting that holds how long the link works, in days.
    lifetime_setting: str

    @property
    def route(self) -> str:
        return f"{self.prefix}<str:token>/"

    @property
    def max_age(self) -> int:
        """How long the link works, in seconds."""
        return getattr(settings, self.lifetime_setting) * DAY

    def token(self, pk: int) -> str:
        return signing.dumps(pk, salt=self.salt, compress=True)

    def read(self, token: str) -> int:
        """The row id in a token; raises BadSignature, or SignatureExpired once it is too old."""
        return signing.loads(token, salt=self.salt, max_age=self.max_age)

    def url(self, pk: int) -> str:
        """The absolute link for row `pk`, in the active language."""
        return absolute(reverse(f"signatures:{self.kind}", args=[self.token(pk)]))


def absolute(path: str) -> str:
    """A path on this site as a link that works from an email."""
    return settings.SITE_URL.rstrip("/") + path


# In the signer's confirmation email: confirm, then withdraw at any time.
CONFIRM = Link("confirm", "signatures/confirm/", "signatures.confirm", "CONFIRM_LINK_DAYS")
WITHDRAW = Link("withdraw", "signatures/withdraw/", "signatures.withdraw", "WITHDRAW_LINK_DAYS")
# In every reply notification, freshly made, so the newest email's link always works.
STOP_REPLIES = Link(
    "stop_replies", "comments/stop-replies/", "comments.stop-replies", "STOP_REPLIES_LINK_DAYS"
)

# In every mailing, body and List-Unsubscribe header, made fresh for each email. Mail
# providers POST to it with no cookie and no CSRF token (RFC 8058).
UNSUBSCRIBE = Link(
    "unsubscribe", "updates/unsubscribe/", "mailings.unsubscribe", "UNSUBSCRIBE_LINK_DAYS"
)

ALL = (CONFIRM, WITHDRAW, STOP_REPLIES, UNSUBSCRIBE)

# A token runs to the next slash, quote, space or query string, wherever the path appears
# (with or without the language prefix, inside a URL or a message).
_TOKEN = re.compile("(" + "|".join(re.escape(f"/{link.prefix}") for link in ALL) + r")[^/\s\"'?#]+")


def redact(text: str) -> str:
    """`text` with the token of every emailed link replaced by "[token]"."""
    return _TOKEN.sub(r"\1[token]", text)
