"""Admin for what people submit: signatures (organizers) and comments (moderators)."""

from .comments import CommentAdmin, ModerationSettingsAdmin
from .signatures import SignatureAdmin

__all__ = ["CommentAdmin", "ModerationSettingsAdmin", "SignatureAdmin"]
