"""The CAPTCHA of the signing and comment forms, as settings.CAPTCHA chooses (README).

`altcha`: altcha-django issues and checks a proof of work the browser solves; the challenge
is fetched from this site when a form is first used, so the page stays the same for everyone,
and each solution is spent once in the database. A form sent without a solution (no
JavaScript) is not refused (forms.SpamProtectedForm.clean). `recaptcha`:
django-recaptcha, adapted: no inline script, no IP sent, no 500 on outages.
"""

from datetime import UTC, datetime, timedelta
from functools import wraps
from urllib.error import URLError

import altcha_django
import altcha_django.views
from altcha_django.results import ErrorCode
from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.http import Http404
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csp import csp_override
from django_recaptcha.fields import ReCaptchaField
from django_recaptcha.widgets import ReCaptchaV2Checkbox, ReCaptchaV3

from .models import SpentChallenge

API_URL = "https://www.google.com/recaptcha/api.js"
# A solution is kept a little past its challenge's expiry, so that a request checked just
# before the expiry and stored just after still finds it spent.
SPENT_MARGIN = timedelta(minutes=1)


def captcha_field():
    """The CAPTCHA field settings.CAPTCHA asks for, or None when it is off."""
    if settings.CAPTCHA == "altcha":
        return AltchaField()
    if settings.CAPTCHA == "recaptcha":
        return RecaptchaField()
    return None


class AltchaWidget(altcha_django.AltchaWidget):
    """The widget's element only: templates/includes/captcha_scripts.html loads its script."""

    def __init__(self):
        super().__init__(
            challenge_url=reverse_lazy("captcha_challenge"),
            # The work starts when the person starts filling in the form, so it is done by
            # the time they send it; readers who never touch the form cost nothing.
            auto="onfocus",
            configuration={
                "hideFooter": True,
                # The package's default gathers pointer and scroll events for a service this
                # site does not use.
                "humanInteractionSignature": False,
            },
        )


class AltchaField(altcha_django.AltchaField):
    widget = AltchaWidget
    default_error_messages = {
        **{code.value: _("The CAPTCHA check failed. Please try again.") for code in ErrorCode},
        ErrorCode.EXPIRED.value: _("The CAPTCHA check expired. Please try again."),
    }

    def __init__(self):
        # Not required: a browser without JavaScript sends no solution (see the module's doc).
        super().__init__(required=False, return_result=True, label=_("Spam check"))

    def clean(self, value):
        """The payload, once its solution is verified and spent; "" when none was sent."""
        result = super().clean(value)
        if not result:
            return ""
        # Every challenge this site signs has both; without them it could not be spent.
        spent = bool(result.replay_id and result.expires_at) and SpentChallenge.objects.spend(
            result.replay_id, datetime.fromtimestamp(result.expires_at, UTC) + SPENT_MARGIN
        )
        if not spent:
            raise ValidationError(
                self.error_messages[ErrorCode.REPLAYED.value], code=ErrorCode.REPLAYED.value
            )
        return value


def altcha_settings():
    """What static/js/altcha.js loads when a form is first used: the widget's files, served
    by this site, and its words in the current language."""
    return {
        "script": static("altcha/altcha.min.js"),
        "style": static("altcha/altcha.css"),
        "worker": static("altcha/pbkdf2.js"),
        "language": get_language(),
        "strings": {
            "label": gettext("I am not a robot"),
            "loading": gettext("Loading…"),
            "verify": gettext("Check"),
            "verifying": gettext("Checking…"),
            "verified": gettext("Checked"),
            "verificationRequired": gettext("Please wait until the check is done."),
            "waitAlert": gettext("Checking… please wait."),
            "expired": gettext("The CAPTCHA check expired. Please try again."),
            "error": gettext("The CAPTCHA check failed. Please try again."),
            "reload": gettext("Try again"),
        },
    }


class ChallengeView(altcha_django.views.ChallengeView):
    """A fresh challenge as JSON (never cached, no cookie set); 404 unless CAPTCHA=altcha."""

    def get(self, request, *args, **kwargs):
        if settings.CAPTCHA != "altcha":
            raise Http404("The ALTCHA CAPTCHA is not in use.")
        return super().get(request, *args, **kwargs)


class RecaptchaField(ReCaptchaField):
    default_error_messages = {
        "required": _("Please confirm that you are not a robot."),
        "captcha_invalid": _("The CAPTCHA check failed. Please try again."),
        "captcha_error": _("We could not check the CAPTCHA just now. Please try again."),
    }

    def __init__(self, **kwargs):
        if settings.RECAPTCHA_VERSION == "v3":
            widget = ReCaptchaV3(action="submit", required_score=settings.RECAPTCHA_REQUIRED_SCORE)
        else:
            widget = ReCaptchaV2Checkbox()
        super().__init__(widget=widget, label=_("Spam check"), **kwargs)

    def get_remote_ip(self):
        # Google does not need the visitor's address from us; keep it to ourselves.
        return ""

    def validate(self, value):
        try:
            super().validate(value)
        except (URLError, OSError, ValueError, KeyError) as error:
            raise ValidationError(
                self.error_messages["captcha_error"], code="captcha_error"
            ) from error

    @staticmethod
    def script_url():
        """The API script, loaded from the page template (the widget has no inline script)."""
        if settings.RECAPTCHA_VERSION == "v3":
            return f"{API_URL}?render={settings.RECAPTCHA_PUBLIC_KEY}&hl={get_language()}"
        return f"{API_URL}?hl={get_language()}"


@checks.register(checks.Tags.security)
def captcha_off_check(app_configs, **kwargs):
    if settings.CAPTCHA != "off":
        return []
    return [
        checks.Warning(
            "CAPTCHA is off.",
            hint="Forms still work, protected by the honeypot and rate limits only. "
            "Set CAPTCHA=altcha (README: The CAPTCHA).",
            id="signatures.W001",
        )
    ]


def with_captcha_csp(view):
    """Allow reCAPTCHA's origins in the policy of a page that shows it; ALTCHA needs none."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if settings.CAPTCHA == "recaptcha":
            return csp_override(settings.SECURE_CSP_WITH_CAPTCHA)(view)(request, *args, **kwargs)
        return view(request, *args, **kwargs)

    return wrapped
