from django.conf import settings
from django.urls import translate_url


def language_alternates(request):
    """The current page in every language, for the switcher and the hreflang links."""
    path = request.path
    return {
        "language_alternates": [
            {
                "code": code,
                "name": name,
                "url": request.build_absolute_uri(translate_url(path, code)),
            }
            for code, name in settings.LANGUAGES
        ],
        "canonical_url": request.build_absolute_uri(path),
    }
