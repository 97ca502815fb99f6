"""The admin site: the campaign's own sections first, the technical ones after."""

from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class LengthCheckedLogin:
    """Django's login form sets the username's max_length after the field is built, which
    adds no validator: an overlong username reached authenticate(), and django-axes' INSERT
    of the failed attempt into its 255-character column failed with a 500."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class LoginForm(LengthCheckedLogin, AdminAuthenticationForm):
    pass


class OTPLoginForm(LengthCheckedLogin, OTPAdminAuthenticationForm):
    pass


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
    login_form = LoginForm


class OTPCampaignAdminSite(CampaignFirst, OTPAdminSite):
    """Staff reach it only once a confirmed device of theirs (an authenticator app, or a
    one-time recovery code) has verified them."""

    login_form = OTPLoginForm
