"""django-otp's models and admin pages in the organizer's language.

django-otp marks none of its model or admin strings for translation, so its pages would stay
in English inside a Russian admin. Its models are not ours to migrate: only what the admin
shows is replaced, and nothing its migrations compare changes. A field's `verbose_name` is
not what migrations record (they keep the name given in the source, here none), help texts
keep their English wording as the message id, and a model's `_meta.verbose_name` is not
read back from `original_attrs`.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

MODEL_NAMES = {
    TOTPDevice: (_("TOTP device"), _("TOTP devices")),
    StaticDevice: (_("set of recovery codes"), _("sets of recovery codes")),
    StaticToken: (_("recovery code"), _("recovery codes")),
}

# Field name: (label, the help text django-otp gives it, word for word, as the message id).
FIELD_NAMES = {
    "user": (_("user"), _("The user that this device belongs to.")),
    "name": (_("device name"), _("The human-readable name of this device.")),
    "confirmed": (_("ready for use"), _("Is this device ready for use?")),
    "key": (_("secret key"), _("A hex-encoded secret key of up to 40 bytes.")),
    "step": (_("time step"), _("The time step in seconds.")),
    "t0": (_("start of counting"), _("The Unix time at which to begin counting steps.")),
    "digits": (_("digits"), _("The number of digits to expect in a token.")),
    "tolerance": (
        _("tolerance"),
        _("The number of time steps in the past or future to allow."),
    ),
    "drift": (
        _("clock drift"),
        _("The number of time steps the prover is known to deviate from our clock."),
    ),
    "last_t": (
        _("last time step"),
        _(
            "The t value of the latest verified token. The next token must be at a higher "
            "time step."
        ),
    ),
    "throttling_failure_timestamp": (
        _("last failed attempt"),
        _("A timestamp of the last failed verification attempt. Null if last attempt succeeded."),
    ),
    "throttling_failure_count": (
        _("failed attempts in a row"),
        _("Number of successive failed attempts."),
    ),
    "created_at": (
        _("added"),
        _("The date and time when this device was initially created in the system."),
    ),
    "last_used_at": (_("last used"), _("The most recent date and time this device was used.")),
    "device": (_("set of recovery codes"), None),
    "token": (_("code"), None),
}

FIELDSET_NAMES = {
    "Identity": _("Device"),
    "Timestamps": _("Dates"),
    "Configuration": _("Settings"),
    "State": _("State"),
    "Throttling": _("Protection against guessing"),
}
SEARCH_HELP = _("Search by the user's username or email address.")


def name_models():
    for model, (singular, plural) in MODEL_NAMES.items():
        model._meta.verbose_name = singular
        model._meta.verbose_name_plural = plural
        for field in model._meta.get_fields():
            label, help_text = FIELD_NAMES.get(field.name, (None, None))
            if label is not None and field.concrete:
                field.verbose_name = label
                if help_text is not None:
                    field.help_text = help_text


class TranslatedFieldsets:
    search_help_text = SEARCH_HELP

    def get_fieldsets(self, request, obj=None):
        return [
            (FIELDSET_NAMES.get(name, name), options)
            for name, options in super().get_fieldsets(request, obj)
        ]


class AuthenticatorAppAdmin(TranslatedFieldsets, TOTPDeviceAdmin):
    @admin.display(description=_("QR code"))
    def qrcode_link(self, device):
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', href, _("Show the QR code"))


class RecoveryCodesAdmin(TranslatedFieldsets, StaticDeviceAdmin):
    pass


def register_admin():
    for model, model_admin in [
        (TOTPDevice, AuthenticatorAppAdmin),
        (StaticDevice, RecoveryCodesAdmin),
    ]:
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, model_admin)
