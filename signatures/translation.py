from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

from .models import Mailing


@register(Mailing)
class MailingTranslationOptions(TranslationOptions):
    fields = ("subject", "body")
    # Written in the first language; a signer whose language is empty gets that one.
    required_languages = (settings.MODELTRANSLATION_DEFAULT_LANGUAGE,)
