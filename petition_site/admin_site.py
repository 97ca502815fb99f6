"""The admin site: the campaign's own sections first, the technical ones after."""

from django.contrib.admin import AdminSite
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite


class CampaignFirst:
    campaign_apps = ("petitions", "signatures")
    site_header = _("Petition administration")
    site_title = _("Petition administration")
    # The lists of signatures and comments need the width more than a copy of the index page.
    enable_nav_sidebar = False

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        # A stable sort: each group keeps Django's alphabetical order.
        return sorted(apps, key=lambda app: app["app_label"] not in self.campaign_apps)


class CampaignAdminSite(CampaignFirst, AdminSite):
    pass


class OTPCampaignAdminSite(CampaignFirst, OTPAdminSite):
    """Staff reach it only once a confirmed device of theirs (an authenticator app, or a
    one-time recovery code) has verified them."""
