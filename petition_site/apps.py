"""Third-party apps under names an organizer understands, in the admin's language."""

from axes.apps import AppConfig as AxesConfig
from django.conf import settings
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as OTPStaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as OTPTOTPConfig
from django_tasks_db.apps import TasksAppConfig


class CampaignAdminConfig(AdminConfig):
    @property
    def default_site(self):
        # The one place that asks for a second factor, unless ADMIN_REQUIRE_OTP is off
        # (development).
        if settings.ADMIN_REQUIRE_OTP:
            return "petition_site.admin_site.OTPCampaignAdminSite"
        return "petition_site.admin_site.CampaignAdminSite"


class SignInAttemptsConfig(AxesConfig):
    verbose_name = _("Sign-in attempts")


class AuthenticatorAppsConfig(OTPTOTPConfig):
    verbose_name = _("Second factor: authenticator apps")

    def ready(self):
        super().ready()
        # Both second-factor apps are loaded and the admin has discovered their pages.
        from petition_site import second_factor

        second_factor.name_models()
        second_factor.register_admin()


class RecoveryCodesConfig(OTPStaticConfig):
    verbose_name = _("Second factor: recovery codes")


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")
