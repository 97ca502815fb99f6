"""django-recaptcha, adapted to this site: no inline script, no IP sent, no 500 on outages."""

from functools import wraps
from urllib.error import URLError

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csp import csp_override
from django_recaptcha.fields import ReCaptchaField
from django_recaptcha.widgets import ReCaptchaV2Checkbox, ReCaptchaV3

API_URL = "https://www.google.com/recaptcha/api.js"


class CaptchaField(ReCaptchaField):
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
def captcha_keys_check(app_configs, **kwargs):
    if settings.CAPTCHA_ENABLED:
        return []
    return [
        checks.Warning(
            "CAPTCHA is off: RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY are not set.",
            hint="Forms still work, protected by the honeypot and rate limits only.",
            id="signatures.W001",
        )
    ]


def with_captcha_csp(view):
    """Allow reCAPTCHA's origins in the policy of a page that shows the CAPTCHA."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if settings.CAPTCHA_ENABLED:
            return csp_override(settings.SECURE_CSP_WITH_CAPTCHA)(view)(request, *args, **kwargs)
        return view(request, *args, **kwargs)

    return wrapped
