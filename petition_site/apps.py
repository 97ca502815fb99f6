"""Third-party apps under names an organizer understands, in the admin's language."""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as OTPStaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as OTPTOTPConfig
from django_tasks_db.apps import TasksAppConfig


class SignInAttemptsConfig(AxesConfig):
    verbose_name = _("Sign-in attempts")


class AuthenticatorAppsConfig(OTPTOTPConfig):
    verbose_name = _("Second factor: authenticator apps")


class RecoveryCodesConfig(OTPStaticConfig):
    verbose_name = _("Second factor: recovery codes")


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")
