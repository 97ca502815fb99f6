from django import forms
from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from . import logos
from .models import Addressee, Demand, Harm, Organization, Petition, Reason, Update


class PartInline(TranslationTabularInline):
    fields = ["position", "text"]
    extra = 0
    # Most items are a sentence or two: keep the rows short.
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


class AddresseeInline(PartInline):
    model = Addressee


class HarmInline(PartInline):
    model = Harm


class ReasonInline(PartInline):
    model = Reason


class DemandInline(PartInline):
    model = Demand


@admin.register(Petition)
class PetitionAdmin(TabbedTranslationAdmin):
    list_display = [
        "title",
        "status",
        "is_featured",
        "goal",
        "closes_at",
        "closed_at",
        "updated_at",
    ]
    actions = ["close_action", "reopen_action"]
    list_filter = ["status", "is_featured"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [AddresseeInline, HarmInline, ReasonInline, DemandInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "status",
                    "is_featured",
                    "goal",
                    "milestones",
                    "closes_at",
                ]
            },
        ),
        (_("Who runs it"), {"fields": ["organization", "started_on"]}),
        (
            _("Text"),
            {
                "fields": [
                    "lead",
                    "preamble",
                    "quote_intro",
                    "quote",
                    "body",
                    "harms_intro",
                    "reasons_intro",
                    "reasons_title",
                    "demands_intro",
                ]
            },
        ),
        (
            _("Emails to signers"),
            {"fields": ["email_sender_name", "email_subject", "discreet_emails"]},
        ),
    ]

    @admin.action(description=_("Close the selected petitions"), permissions=["change"])
    def close_action(self, request, queryset):
        for petition in queryset.exclude(status=Petition.Status.CLOSED):
            petition.close()
        self.message_user(request, _("Closed. They show their final count and refuse signatures."))

    @admin.action(description=_("Open the selected petitions"), permissions=["change"])
    def reopen_action(self, request, queryset):
        for petition in queryset.exclude(status=Petition.Status.OPEN):
            petition.reopen()
        self.message_user(request, _("Opened. They accept signatures again."))

    def save_model(self, request, obj, form, change):
        # Closing through the status field starts the same clock as the close action.
        if "status" in form.changed_data:
            obj.closed_at = timezone.now() if obj.status == Petition.Status.CLOSED else None
        super().save_model(request, obj, form, change)


class OrganizationForm(forms.ModelForm):
    logo_upload = forms.ImageField(
        label=_("New logo"),
        required=False,
        help_text=_("PNG, JPEG, WebP or GIF. The site keeps a small copy, 120 pixels high."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def clean_logo_upload(self):
        upload = self.cleaned_data["logo_upload"]
        if upload:
            logos.check(upload)
            self.logo = logos.shrink(upload)
        return upload

    def save(self, commit=True):
        organization = super().save(commit=False)
        if self.cleaned_data.get("logo_upload"):
            organization.set_logo(self.logo)
        elif self.cleaned_data.get("remove_logo"):
            organization.clear_logo()
        if commit:
            organization.save()
        return organization


@admin.register(Organization)
class OrganizationAdmin(TabbedTranslationAdmin):
    form = OrganizationForm
    list_display = ["name", "is_default", "email", "updated_at"]
    search_fields = ["name"]
    readonly_fields = ["current_logo"]
    fieldsets = [
        (None, {"fields": ["name", "about", "is_default"]}),
        (_("Logo"), {"fields": ["current_logo", "logo_upload", "remove_logo"]}),
        (
            _("Contact and links"),
            {"fields": ["email", "website", "telegram", "instagram", "facebook"]},
        ),
    ]

    @admin.display(description=_("current logo"))
    def current_logo(self, organization):
        if not organization.logo_digest:
            return _("none")
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="">',
            organization.logo_url(),
            organization.logo_width,
            organization.logo_height,
        )

    def get_queryset(self, request):
        # The list and the form show the logo through its own address, not its bytes.
        return super().get_queryset(request).defer("logo")


class UpdateForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        # Published without a date: it is dated the moment the organizer publishes it.
        if cleaned_data.get("status") == Update.Status.PUBLISHED and not cleaned_data.get(
            "published_at"
        ):
            cleaned_data["published_at"] = timezone.now()
        return cleaned_data


@admin.register(Update)
class UpdateAdmin(TabbedTranslationAdmin):
    form = UpdateForm
    list_display = ["title", "petition", "status", "published_at"]
    list_filter = ["status", "petition"]
    search_fields = ["title", "text"]
    fields = ["petition", "status", "published_at", "title", "text"]

    def get_changeform_initial_data(self, request):
        # Most sites run one petition at a time: start from the one on the home page.
        initial = super().get_changeform_initial_data(request)
        featured = Petition.objects.featured()
        if featured is not None:
            initial.setdefault("petition", featured.pk)
        return initial
