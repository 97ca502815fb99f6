"""Admin for what people submit: signatures (organizers) and comments (moderators); and
the organizers' mailings to signers."""

from .comments import CommentAdmin, ModerationSettingsAdmin
from .mailings import MailingAdmin
from .signatures import SignatureAdmin

__all__ = ["CommentAdmin", "MailingAdmin", "ModerationSettingsAdmin", "SignatureAdmin"]
