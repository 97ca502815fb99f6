import re
import unicodedata
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from petitions.models import Petition

from .captcha import captcha_field
from .models import COMMENT_MAX_LENGTH, MAX_ID, Comment, Region
from .spreadsheet import starts_like_formula

_URL = re.compile(r"(https?:|ftp:|www\.|\w\.(com|org|net|ru|kg|info|io|me|xyz)\b)", re.I)
_MARKUP = re.compile(r"[<>]")
# Control, format, surrogate, private-use and unassigned code points, and U+FFFD, which is
# what undecodable bytes become.
_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
# What a text may contain that a name may not: line breaks, tabs, and the joiners that emoji
# sequences and some scripts (Persian, the Indic scripts) need.
_TEXT_ALLOWED = {"\n", "\t", "\u200c", "\u200d"}


def _unreadable(value, allowed=frozenset()):
    return any(
        (unicodedata.category(c) in _FORBIDDEN_CATEGORIES or c == "\ufffd") and c not in allowed
        for c in value
    )


def validate_plain_name(value: str) -> None:
    # Unreadable first: a name that starts with a tab is told about the tab.
    if _unreadable(value):
        raise forms.ValidationError(
            _("The name contains invisible or unreadable characters."), code="control"
        )
    if starts_like_formula(value):
        raise forms.ValidationError(_("A name cannot start with =, +, - or @."), code="formula")
    if _URL.search(value):
        raise forms.ValidationError(_("A name cannot contain a web address."), code="url")
    if _MARKUP.search(value):
        raise forms.ValidationError(_("A name cannot contain < or >."), code="markup")


def validate_plain_text(value: str) -> None:
    if _unreadable(value, _TEXT_ALLOWED):
        raise forms.ValidationError(
            _("The text contains invisible or unreadable characters."), code="control"
        )


class PlainTextField(forms.CharField):
    """Several lines of plain text: line breaks made uniform, blank runs kept short.

    Browsers send a line break as two characters; normalising first means the length limit
    counts what the person sees.
    """

    widget = forms.Textarea

    def __init__(self, **kwargs):
        super().__init__(validators=[validate_plain_text], **kwargs)

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        value = "\n".join(line.rstrip() for line in value.split("\n"))
        return re.sub(r"\n{3,}", "\n\n", value).strip()


class PersonNameField(forms.CharField):
    """A person's name as others will see it: plain, on one line, single-spaced."""

    def __init__(self, **kwargs):
        super().__init__(
            min_length=2,
            max_length=100,
            validators=[validate_plain_name],
            error_messages={
                "min_length": _("Please enter at least 2 characters."),
                "max_length": _("Please use at most 100 characters."),
            },
            **kwargs,
        )

    def to_python(self, value):
        return " ".join(super().to_python(value).split())


class HoneypotField(forms.CharField):
    """A field people never see; software that fills every field fills it too."""

    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            label=_("Leave this field empty"),
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
            **kwargs,
        )


class SpamProtectedForm(forms.Form):
    """A honeypot always; the CAPTCHA that settings.CAPTCHA chooses, unless it is off."""

    website = HoneypotField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = captcha_field()
        if field is not None:
            self.fields["captcha"] = field

    @property
    def markup_key(self):
        """What an empty form's markup depends on besides the language: its class and the
        CAPTCHA (which one; reCAPTCHA's version and site key). The key of its fragment in the
        template cache."""
        name = type(self).__name__
        if settings.CAPTCHA == "recaptcha":
            return f"{name}:recaptcha:{settings.RECAPTCHA_VERSION}:{settings.RECAPTCHA_PUBLIC_KEY}"
        return f"{name}:{settings.CAPTCHA}"

    def clean(self):
        cleaned_data = super().clean()
        # Without JavaScript the ALTCHA widget sends nothing. Such a form is not refused:
        # signing gives it a stricter per-address limit, and a comment waits for a moderator.
        cleaned_data["without_captcha"] = cleaned_data.get("captcha") == ""
        return cleaned_data

    @property
    def is_bot(self) -> bool:
        """True if the honeypot was filled: the caller pretends success and stores nothing."""
        return bool(self.data.get("website"))


class SignatureForm(SpamProtectedForm):
    name = PersonNameField(
        label=_("Full name"), widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("Only to confirm your signature. Never shown to anyone."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    region = forms.ChoiceField(label=_("City or region"), choices=[("", "—"), *Region.choices])
    show_name = forms.BooleanField(
        label=_("Show my first name and initial on the public list of signers"), required=False
    )
    privacy = forms.BooleanField(
        label=_("I agree to the privacy notice"),
        error_messages={"required": _("Please agree to the privacy notice to sign.")},
    )
    wants_updates = forms.BooleanField(
        label=_("Send me updates about this petition"), required=False
    )
    comment = PlainTextField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        help_text=_(
            "Shown below the petition with your first name and initial once a moderator "
            "approves it."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    field_order = [
        "name",
        "email",
        "region",
        "show_name",
        "comment",
        "privacy",
        "wants_updates",
        "website",
    ]


class CommentForm(SpamProtectedForm):
    text = PlainTextField(
        label=_("Comment"), max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    author_name = PersonNameField(
        label=_("Name"),
        help_text=_("Shown with your comment. It need not be your real name."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        max_length=254,
        help_text=_("Never shown. Only to tell you about replies, if you ask for it below."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    notify_replies = forms.BooleanField(label=_("Email me when someone replies"), required=False)
    parent = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )

    field_order = ["text", "author_name", "email", "notify_replies", "parent", "website"]

    def __init__(self, *args: Any, petition: Petition, **kwargs: Any) -> None:
        # The petition page carries the sign form too; its own ids keep the labels apart.
        kwargs.setdefault("auto_id", "comment_%s")
        super().__init__(*args, **kwargs)
        self.petition = petition

    def clean_parent(self) -> Comment | None:
        """The approved comment of this petition being replied to, or None."""
        parent_id = self.cleaned_data["parent"]
        if parent_id is None:
            return None
        parent = Comment.objects.approved().filter(petition=self.petition, pk=parent_id).first()
        if parent is None:
            raise forms.ValidationError(
                _("The comment you are replying to is no longer available."), code="parent"
            )
        return parent

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("notify_replies") and not cleaned_data.get("email"):
            self.add_error("email", _("Give your email address to be told about replies."))
        return cleaned_data
