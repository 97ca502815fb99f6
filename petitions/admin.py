from django import forms
from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from .models import Addressee, Demand, Harm, Petition, Reason


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
