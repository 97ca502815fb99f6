"""Columns and filters the signature and comment lists share."""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from petitions.models import Petition

from .. import models


class PetitionColumnMixin:
    """Lists without the petition column and filter while the site runs a single petition.

    A campaign site usually has one; its long title would take half of every row.
    """

    def _without_petition(self, names):
        if Petition.objects.count() > 1:
            return names
        return [name for name in names if name != "petition"]

    def get_list_display(self, request):
        return self._without_petition(super().get_list_display(request))

    def get_list_filter(self, request):
        return self._without_petition(super().get_list_filter(request))


class LanguageFilter(admin.SimpleListFilter):
    """The language a person signed or commented in, by its name rather than its code."""

    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return settings.LANGUAGES

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(language=self.value())
        return queryset


@admin.display(description=_("language"), ordering="language")
def language_name(obj):
    return models.language_name(obj.language)
