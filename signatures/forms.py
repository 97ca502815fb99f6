import re
import unicodedata

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .captcha import CaptchaField
from .models import Region

# Characters that spreadsheets read as the start of a formula.
_FORMULA_PREFIXES = ("=", "+", "-", "@")
_URL = re.compile(r"(https?:|ftp:|www\.|\w\.(com|org|net|ru|kg|info|io|me|xyz)\b|/)", re.I)
# Control, format, surrogate, private-use and unassigned code points, and U+FFFD, which is
# what undecodable bytes become.
_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


def validate_plain_name(value):
    if value.startswith(_FORMULA_PREFIXES):
        raise forms.ValidationError(_("A name cannot start with =, +, - or @."), code="formula")
    if any(unicodedata.category(c) in _FORBIDDEN_CATEGORIES or c == "\ufffd" for c in value):
        raise forms.ValidationError(
            _("The name contains invisible or unreadable characters."), code="control"
        )
    if _URL.search(value):
        raise forms.ValidationError(_("A name cannot contain a web address."), code="url")


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
    """A honeypot always; the CAPTCHA when keys are configured."""

    website = HoneypotField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if settings.CAPTCHA_ENABLED:
            self.fields["captcha"] = CaptchaField()

    @property
    def is_bot(self):
        """True if the honeypot was filled: the caller pretends success and stores nothing."""
        return bool(self.data.get("website"))


class SignatureForm(SpamProtectedForm):
    name = forms.CharField(
        label=_("Full name"),
        min_length=2,
        max_length=100,
        validators=[validate_plain_name],
        error_messages={
            "min_length": _("Please enter at least 2 characters."),
            "max_length": _("Please use at most 100 characters."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
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

    field_order = ["name", "email", "region", "show_name", "privacy", "wants_updates", "website"]

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_email(self):
        return self.cleaned_data["email"].strip()
