from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from petitions.models import Petition

from .. import paper, privacy, signing, statistics
from ..export import DELIMITERS, csv_response
from ..models import Signature, SignatureBook
from ..tasks import make_signature_book
from .columns import LanguageFilter, PetitionColumnMixin, language_name


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class BulkInvalidationForm(forms.Form):
    petition = forms.ModelChoiceField(Petition.objects.all(), label=_("Petition"), required=False)
    ip_hash = forms.CharField(label=_("IP address hash"), required=False, max_length=64)
    email_domain = forms.CharField(label=_("Email domain"), required=False, max_length=255)
    since = forms.DateTimeField(label=_("From"))
    until = forms.DateTimeField(label=_("Until"))
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def clean(self):
        data = super().clean()
        if not data.get("ip_hash") and not data.get("email_domain"):
            raise forms.ValidationError(_("Give an IP address hash or an email domain."))
        if data.get("since") and data.get("until") and data["since"] >= data["until"]:
            raise forms.ValidationError(_("“From” must come before “Until”."))
        return data

    def signatures(self):
        data = self.cleaned_data
        found = Signature.objects.filter(
            created_at__gte=data["since"], created_at__lt=data["until"]
        ).exclude(status__in=[Signature.Status.WITHDRAWN, Signature.Status.INVALIDATED])
        if data.get("petition"):
            found = found.filter(petition=data["petition"])
        if data.get("ip_hash"):
            found = found.filter(ip_hash=data["ip_hash"].strip())
        if data.get("email_domain"):
            found = found.filter(email_domain=data["email_domain"].strip().lower())
        return found


class PaperUploadForm(forms.Form):
    petition = forms.ModelChoiceField(Petition.objects.all(), label=_("Petition"))
    file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_(
            "One signature per row: name, region, date (YYYY-MM-DD or DD.MM.YYYY), sheet "
            "number, separated by commas or semicolons. The file in UTF-8; a first row of "
            "column names is skipped."
        ),
    )
    # The checked file's text, sent back with the confirmation: the preview stores nothing.
    text = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    filename = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload and upload.size > paper.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB: split it in two.")
                % {"size": paper.MAX_BYTES // 1_000_000}
            )
        if upload:
            text = paper.decode(upload.read())
            if text is None:
                raise forms.ValidationError(
                    _("The file is not UTF-8 text: save it as “CSV UTF-8” and upload it again.")
                )
            data["text"], data["filename"] = text, upload.name
        elif not data.get("text"):
            raise forms.ValidationError(_("Choose a CSV file."))
        return data


class SignatureBookForm(forms.Form):
    petition = forms.ModelChoiceField(Petition.objects.all(), label=_("Petition"))
    language = forms.ChoiceField(label=_("Language of the text"), choices=settings.LANGUAGES)


class PetitionChoiceForm(forms.Form):
    """The statistics page's choice: a petition's id, read as a form reads it, so an id that
    is no number (or no petition) is no choice rather than an error."""

    petition = forms.ModelChoiceField(Petition.objects.all(), required=False)


class ExportForm(forms.Form):
    petition = forms.ModelChoiceField(Petition.objects.all(), label=_("Petition"))
    delimiter = forms.ChoiceField(
        label=_("Separator"),
        choices=[
            ("comma", _("Comma (LibreOffice, Excel in English)")),
            ("semicolon", _("Semicolon (Excel in Russian)")),
        ],
    )
    include_email = forms.BooleanField(label=_("Include email addresses"), required=False)


@admin.register(Signature)
class SignatureAdmin(PetitionColumnMixin, admin.ModelAdmin):
    change_list_template = "admin/signatures/signature/change_list.html"
    list_display = [
        "number",
        "petition",
        "status",
        "name",
        "region",
        language_name,
        "show_name",
        "source",
        "created_at",
        "confirmed_at",
    ]
    list_filter = [
        "status",
        "source",
        "petition",
        "region",
        LanguageFilter,
        "show_name",
        "wants_updates",
    ]
    list_select_related = ["petition"]
    date_hierarchy = "created_at"
    search_fields = ["name"]
    search_help_text = _("A name, or a whole email address (matched through its hash).")
    list_per_page = 50
    actions = ["invalidate_action", "restore_action", "resend_action"]
    fields = [
        "petition",
        "status",
        "invalidation_reason",
        "name",
        "region",
        "language",
        "show_name",
        "wants_updates",
        "email_domain",
        "short_ip_hash",
        "emails_sent",
        "created_at",
        "confirmed_at",
        "withdrawn_at",
        "anonymised_at",
        "source",
        "sheet",
        "paper_batch",
    ]

    @admin.display(description="#", ordering="pk")
    def number(self, signature):
        # The status has a column of its own; __str__ would repeat it.
        return f"#{signature.pk}"

    def get_fields(self, request, obj=None):
        # The address itself only for those allowed to export it.
        if request.user.has_perm("signatures.export_emails"):
            return [*self.fields[:4], "email_address", *self.fields[4:]]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Signatures leave by withdrawal or anonymisation, never by a stray click.
        return False

    @admin.display(description=_("email"))
    def email_address(self, signature):
        return signature.email or "—"

    @admin.display(description=_("IP address hash"))
    def short_ip_hash(self, signature):
        return signature.ip_hash[:16] or "—"

    def get_search_results(self, request, queryset, search_term):
        if "@" in search_term:
            return queryset.filter(email_hash=privacy.email_hash(search_term)), False
        return super().get_search_results(request, queryset, search_term)

    # Actions

    @admin.action(description=_("Invalidate selected signatures"), permissions=["change"])
    def invalidate_action(self, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            changed = signing.invalidate(queryset, form.cleaned_data["reason"])
            self.message_user(
                request,
                ngettext(
                    "%(count)d signature invalidated.",
                    "%(count)d signatures invalidated.",
                    changed,
                )
                % {"count": changed},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/signatures/signature/invalidate.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Invalidate signatures"),
                "form": form,
                "signatures": queryset,
                "count": queryset.count(),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Restore selected signatures"), permissions=["change"])
    def restore_action(self, request, queryset):
        changed = signing.restore(queryset)
        self.message_user(
            request,
            ngettext("%(count)d signature restored.", "%(count)d signatures restored.", changed)
            % {"count": changed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Resend the confirmation email"), permissions=["change"])
    def resend_action(self, request, queryset):
        sent = sum(signing.resend(signature) for signature in queryset)
        skipped = queryset.count() - sent
        self.message_user(
            request,
            _("%(sent)d emails queued; %(skipped)d skipped (not pending, or at the limit).")
            % {"sent": sent, "skipped": skipped},
            messages.SUCCESS if sent else messages.WARNING,
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "can_bulk_invalidate": self.has_change_permission(request),
            "can_enter_paper": request.user.has_perm("signatures.enter_paper"),
            "can_make_book": request.user.has_perm("signatures.signature_book"),
        }
        return super().changelist_view(request, extra_context)

    # Views of their own

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("export/", view(self.export_view), name="signatures_signature_export"),
            path("statistics/", view(self.statistics_view), name="signatures_signature_stats"),
            path("trending/", view(self.trending_view), name="signatures_signature_trending"),
            path(
                "bulk-invalidate/",
                view(self.bulk_invalidate_view),
                name="signatures_signature_bulk_invalidate",
            ),
            path("paper/", view(self.paper_view), name="signatures_signature_paper"),
            path("book/", view(self.book_view), name="signatures_signature_book"),
            path(
                "book/<int:book_id>/pdf/",
                view(self.book_pdf_view),
                name="signatures_signature_book_pdf",
            ),
            *super().get_urls(),
        ]

    def _page(self, request, template, title, **context):
        return TemplateResponse(
            request,
            f"admin/signatures/signature/{template}",
            {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **context},
        )

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ExportForm(request.GET or None)
        can_export_emails = request.user.has_perm("signatures.export_emails")
        if not can_export_emails:
            del form.fields["include_email"]
        if not form.is_valid():
            return self._page(request, "export.html", _("Export signatures"), form=form)
        petition = form.cleaned_data["petition"]
        include_email = can_export_emails and form.cleaned_data.get("include_email", False)
        signatures = Signature.objects.counted().filter(petition=petition)
        LogEntry.objects.log_actions(
            request.user.pk,
            [petition],
            CHANGE,
            change_message=f"Exported {signatures.count()} confirmed signatures as CSV"
            + (" with email addresses" if include_email else ""),
            single_object=True,
        )
        return csv_response(
            signatures,
            filename=f"{slugify(petition.slug)}-signatures-{timezone.localdate()}.csv",
            include_email=include_email,
            delimiter=DELIMITERS[form.cleaned_data["delimiter"]],
        )

    def statistics_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        chooser = PetitionChoiceForm(request.GET)
        petition = chooser.cleaned_data["petition"] if chooser.is_valid() else None
        return self._page(
            request,
            "statistics.html",
            _("Signature statistics"),
            petitions=Petition.objects.all(),
            petition=petition,
            stats=statistics.summary(petition),
        )

    def trending_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        since = timezone.now() - timedelta(hours=1)
        recent = Signature.objects.filter(created_at__gte=since)
        threshold = settings.TRENDING_SOURCE_THRESHOLD
        return self._page(
            request,
            "trending.html",
            _("Trending sources"),
            since=since,
            threshold=threshold,
            total=recent.count(),
            ip_hashes=recent.exclude(ip_hash="")
            .values("ip_hash")
            .annotate(signatures=Count("pk"))
            .filter(signatures__gte=threshold)
            .order_by("-signatures")[:50],
            domains=recent.exclude(email_domain="")
            .values("email_domain")
            .annotate(signatures=Count("pk"))
            .filter(signatures__gte=threshold)
            .order_by("-signatures")[:50],
        )

    def bulk_invalidate_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = BulkInvalidationForm(request.POST or None, initial=request.GET.dict())
        if not form.is_valid():
            return self._page(request, "bulk_invalidate.html", _("Bulk invalidation"), form=form)
        signatures = form.signatures()
        if "confirm" not in request.POST:
            return self._page(
                request,
                "bulk_invalidate.html",
                _("Bulk invalidation"),
                form=form,
                preview=signatures.count(),
                by_status=signatures.values("status").annotate(n=Count("pk")).order_by("status"),
            )
        changed = signing.invalidate(signatures, form.cleaned_data["reason"])
        self.message_user(
            request,
            ngettext(
                "%(count)d signature invalidated.", "%(count)d signatures invalidated.", changed
            )
            % {"count": changed},
            messages.SUCCESS,
        )
        return redirect(reverse("admin:signatures_signature_changelist"))

    def paper_view(self, request):
        """Upload a CSV of paper signatures, see every row and its errors, then enter them."""
        if not request.user.has_perm("signatures.enter_paper"):
            raise PermissionDenied
        form = PaperUploadForm(request.POST or None, request.FILES or None)
        if not form.is_valid():
            return self._page(request, "paper.html", _("Enter paper signatures"), form=form)
        petition = form.cleaned_data["petition"]
        sheet = paper.read(form.cleaned_data["text"])
        if "confirm" not in request.POST or not sheet.valid:
            # The preview: the rows travel back with the confirmation, unchanged.
            form = PaperUploadForm(
                initial={
                    "petition": petition,
                    "text": sheet.text,
                    "filename": form.cleaned_data["filename"],
                }
            )
            return self._page(
                request, "paper.html", _("Enter paper signatures"), form=form, sheet=sheet
            )
        batch = paper.enter(
            petition, sheet, user=request.user, filename=form.cleaned_data["filename"]
        )
        if batch is None:
            self.message_user(
                request, _("This file was already entered; nothing was added."), messages.WARNING
            )
        else:
            LogEntry.objects.log_actions(
                request.user.pk,
                [petition],
                ADDITION,
                change_message=f"Entered {len(sheet.rows)} paper signatures "
                f"from {batch.filename or 'a file'} (batch {batch.pk})",
                single_object=True,
            )
            self.message_user(
                request,
                ngettext(
                    "%(count)d paper signature entered.",
                    "%(count)d paper signatures entered.",
                    len(sheet.rows),
                )
                % {"count": len(sheet.rows)},
                messages.SUCCESS,
            )
        changelist = reverse("admin:signatures_signature_changelist")
        return redirect(f"{changelist}?source=paper&petition__id__exact={petition.pk}")

    def book_view(self, request):
        """Request a signature book (the worker makes it) and download the ones made."""
        if not request.user.has_perm("signatures.signature_book"):
            raise PermissionDenied
        form = SignatureBookForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            petition = form.cleaned_data["petition"]
            book = SignatureBook.objects.create(
                petition=petition,
                language=form.cleaned_data["language"],
                requested_by=request.user,
            )
            make_signature_book.enqueue(book.pk)
            LogEntry.objects.log_actions(
                request.user.pk,
                [petition],
                CHANGE,
                change_message=f"Requested the signature book {book.pk} ({book.language})",
                single_object=True,
            )
            self.message_user(
                request,
                _("The signature book is being made; this page shows it when it is ready."),
                messages.SUCCESS,
            )
            return redirect(reverse("admin:signatures_signature_book"))
        return self._page(
            request,
            "book.html",
            _("Signature book"),
            form=form,
            books=SignatureBook.objects.select_related("petition", "requested_by").defer("pdf")[
                :20
            ],
        )

    def book_pdf_view(self, request, book_id):
        if not request.user.has_perm("signatures.signature_book"):
            raise PermissionDenied
        book = get_object_or_404(
            SignatureBook.objects.select_related("petition"),
            pk=book_id,
            status=SignatureBook.Status.READY,
        )
        LogEntry.objects.log_actions(
            request.user.pk,
            [book.petition],
            CHANGE,
            change_message=f"Downloaded the signature book {book.pk} "
            f"({book.signatures} signatures)",
            single_object=True,
        )
        response = HttpResponse(bytes(book.pdf), content_type="application/pdf")
        filename = f"{slugify(book.petition.slug)}-signatures-{book.language}-{book.pk}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
