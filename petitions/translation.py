from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

from .models import Addressee, Demand, Harm, Organization, Petition, Reason, Update


@register(Petition)
class PetitionTranslationOptions(TranslationOptions):
    fields = (
        "title",
        "lead",
        "preamble",
        "quote_intro",
        "quote",
        "body",
        "harms_intro",
        "reasons_intro",
        "reasons_title",
        "demands_intro",
        "email_subject",
    )
    # Required in the default language only; the others fall back to it.
    required_languages = (settings.MODELTRANSLATION_DEFAULT_LANGUAGE,)


@register([Addressee, Harm, Reason, Demand])
class PetitionPartTranslationOptions(TranslationOptions):
    fields = ("text",)
    required_languages = (settings.MODELTRANSLATION_DEFAULT_LANGUAGE,)


@register(Organization)
class OrganizationTranslationOptions(TranslationOptions):
    fields = ("name", "about")
    required_languages = (settings.MODELTRANSLATION_DEFAULT_LANGUAGE,)


@register(Update)
class UpdateTranslationOptions(TranslationOptions):
    fields = ("title", "text")
    required_languages = (settings.MODELTRANSLATION_DEFAULT_LANGUAGE,)
