"""The language a person signed or commented in, shown by its name rather than its code."""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class LanguageFilter(admin.SimpleListFilter):
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
    return dict(settings.LANGUAGES).get(obj.language, obj.language)
