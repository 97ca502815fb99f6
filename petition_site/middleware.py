from urllib.parse import unquote_to_bytes

from django.conf import settings

from petition_site.views import bad_request


class PermissionsPolicyMiddleware:
    """Send Permissions-Policy, which Django's SecurityMiddleware does not set."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = ", ".join(
            f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DISABLED_FEATURES
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response


class ReadableBodyMiddleware:
    """Answer 400, with the site's page, a request whose body Django would misread.

    Django decodes a body in whatever charset its Content-Type names: UTF-16 raised while
    decoding, and again while answering the error (gunicorn's bare 500); Latin-1 and raw
    bytes in a urlencoded body were read as Latin-1 and stored as mojibake. A JSON, XML or
    plain-text body was read as a form with no fields. Browsers send every form of this site
    as UTF-8 (the pages say so), percent-encoded or multipart, so nothing they send is refused.
    Runs after LocaleMiddleware, so the page is in the page's language, and before anything
    reads request.POST (CsrfViewMiddleware does, in process_view).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _readable(request):
            return bad_request(request)
        return self.get_response(request)


def _readable(request):
    charset = request.content_params.get("charset")
    if charset is not None and charset.strip().lower() not in ("utf-8", "utf8"):
        return False
    if request.method != "POST":
        return True
    content_type = request.content_type.lower()
    if content_type == "multipart/form-data":
        return True
    if content_type == "application/x-www-form-urlencoded":
        # Percent-encoding leaves only ASCII; what it encodes must be UTF-8.
        body = request.body
        try:
            unquote_to_bytes(body).decode("utf-8")
        except UnicodeDecodeError:
            return False
        return body.isascii()
    # Not a form: acceptable only when there is nothing to read.
    return not request.body
