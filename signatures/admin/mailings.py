from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST
from modeltranslation.admin import TabbedTranslationAdmin

from petitions.models import Update

from .. import mailings
from ..emails import mailing_email
from ..models import Mailing


@admin.register(Mailing)
class MailingAdmin(TabbedTranslationAdmin):
    change_form_template = "admin/signatures/mailing/change_form.html"
    list_display = ["__str__", "petition", "status", "started_at", "sent", "failed", "remaining"]
    list_filter = ["status", "petition"]
    list_select_related = ["petition"]
    fields = ["petition", "subject", "body"]
    progress_fields = [
        "update",
        "status",
        "sent",
        "failed",
        "remaining",
        "created_by",
        "started_at",
        "finished_at",
    ]

    def get_fields(self, request, obj=None):
        return [*self.fields, *self.progress_fields] if obj else self.fields

    def get_readonly_fields(self, request, obj=None):
        return self.progress_fields if obj else []

    # Only a draft changes or goes: once sending begins, the mailing is the record of what
    # signers received, and admin shows it read-only.

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != Mailing.Status.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != Mailing.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    # Progress: the copies sent and failed, and the recipients still waiting for theirs.

    def _progress(self, mailing):
        # One count per mailing and request, whichever column asks first.
        if getattr(mailing, "_progress", None) is None:
            mailing._progress = mailings.progress(mailing)
        return mailing._progress

    @admin.display(description=_("sent"))
    def sent(self, mailing):
        return self._progress(mailing)["sent"]

    @admin.display(description=_("failed"))
    def failed(self, mailing):
        return self._progress(mailing)["failed"]

    @admin.display(description=_("remaining"))
    def remaining(self, mailing):
        return self._progress(mailing)["remaining"]

    # Preview, test and send.

    def get_urls(self):
        views = [("preview", self.preview_view), ("test", self.test_view), ("send", self.send_view)]
        return [
            *(
                path(
                    f"<path:object_id>/{name}/",
                    self.admin_site.admin_view(view),
                    name=f"signatures_mailing_{name}",
                )
                for name, view in views
            ),
            path(
                "from-update/<int:update_id>/",
                self.admin_site.admin_view(require_POST(self.from_update_view)),
                name="signatures_mailing_from_update",
            ),
            *super().get_urls(),
        ]

    def _mailing(self, request, object_id):
        """The mailing, for those who may write mailings (a sent one too: for its preview)."""
        # The admin's own reading of an id: one that is no number is no mailing, not a 500.
        mailing = self.get_object(request, object_id)
        if mailing is None:
            raise Http404
        if not self.has_change_permission(request):
            raise PermissionDenied
        return mailing

    def _page(self, request, mailing, template, title, **context):
        return TemplateResponse(
            request,
            f"admin/signatures/mailing/{template}.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": mailing,
                "title": title,
                **context,
            },
        )

    def preview_view(self, request, object_id):
        """The email as each language's signers will get it, sender and subject included."""
        mailing = self._mailing(request, object_id)
        previews = []
        for code, name in settings.LANGUAGES:
            message = mailing_email(
                mailing,
                language=code,
                address=request.user.email or "signer@example.org",
                signature_id=0,
            )
            previews.append({"language": name, "message": message})
        return self._page(
            request,
            mailing,
            "preview",
            pgettext_lazy("page title", "Preview"),
            previews=previews,
            recipients=mailings.recipients(mailing).count(),
        )

    def test_view(self, request, object_id):
        """Send the mailing to the organizer's own address, once per language."""
        mailing = self._mailing(request, object_id)
        if request.method != "POST":
            return redirect(reverse("admin:signatures_mailing_preview", args=[mailing.pk]))
        if not request.user.email:
            self.message_user(
                request,
                _("Your account has no email address. Add one to your user to get tests."),
                messages.ERROR,
            )
        else:
            sent = mailings.send_test(mailing, request.user.email)
            self.message_user(
                request,
                translation.ngettext(
                    "%(count)s test email sent to your address.",
                    "%(count)s test emails sent to your address.",
                    sent,
                )
                % {"count": sent},
                messages.SUCCESS,
            )
        return redirect(reverse("admin:signatures_mailing_preview", args=[mailing.pk]))

    def send_view(self, request, object_id):
        """Ask for confirmation with the number of recipients; the POST starts the sending."""
        mailing = self._mailing(request, object_id)
        change_url = reverse("admin:signatures_mailing_change", args=[mailing.pk])
        if mailing.status != Mailing.Status.DRAFT:
            self.message_user(request, _("This mailing has already been sent."), messages.WARNING)
            return redirect(change_url)
        recipients = mailings.recipients(mailing).count()
        if request.method == "POST" and recipients:
            mailings.start(mailing)
            self.message_user(
                request,
                translation.ngettext(
                    "Sending to %(count)s signer has begun.",
                    "Sending to %(count)s signers has begun.",
                    recipients,
                )
                % {"count": recipients},
                messages.SUCCESS,
            )
            return redirect(change_url)
        return self._page(
            request,
            mailing,
            "send",
            _("Send the mailing"),
            recipients=recipients,
            rate=settings.MAILING_RATE_PER_MINUTE,
        )

    def from_update_view(self, request, update_id):
        """The update's "Send as a mailing to signers": a draft mailing of it, then its preview,
        whose confirmation alone sends it. A second click opens the same mailing."""
        # Who may not write mailings learns nothing, not even whether the update exists.
        if not self.has_add_permission(request):
            raise PermissionDenied
        update = get_object_or_404(Update.objects.select_related("petition"), pk=update_id)
        if not self.admin_site.get_model_admin(Update).has_view_or_change_permission(
            request, update
        ):
            raise PermissionDenied
        if update.status != Update.Status.PUBLISHED:
            return TemplateResponse(
                request,
                "admin/signatures/mailing/update_not_published.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.opts,
                    "update": update,
                    "title": _("Publish the update first"),
                },
                status=409,
            )
        mailing, created = mailings.draft_from_update(update, request.user)
        if created:
            self.message_user(
                request,
                _("A draft mailing was made from the update. Check it here, then send it."),
                messages.SUCCESS,
            )
        elif mailing.status == Mailing.Status.DRAFT:
            self.message_user(
                request,
                _("This update already has a draft mailing: here it is."),
                messages.WARNING,
            )
        else:
            self.message_user(
                request, _("This update has already been sent as a mailing."), messages.WARNING
            )
        return redirect(reverse("admin:signatures_mailing_preview", args=[mailing.pk]))
