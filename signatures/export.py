"""The CSV of confirmed signatures that organizers hand to the petition's addressees."""

import csv

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Region
from .spreadsheet import starts_like_formula

DELIMITERS = {"comma": ",", "semicolon": ";"}


def safe_cell(value):
    """The value as text a spreadsheet shows as it is. Names are validated against formulas
    when signed, but an export must be safe whatever the database holds."""
    text = "" if value is None else str(value)
    return "'" + text if starts_like_formula(text) else text


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def csv_response(signatures, *, filename, include_email, delimiter=","):
    """Stream the rows, a few thousand at a time, so memory stays flat however many there are.

    UTF-8 with a byte-order mark, so Excel and LibreOffice show Cyrillic correctly.
    """
    regions = dict(Region.choices)
    writer = csv.writer(_Echo(), delimiter=delimiter)
    header = [_("Name"), _("City or region"), _("Date signed"), _("Language")]
    if include_email:
        header.append(_("Email"))
    fields = ["name", "region", "confirmed_at", "language"]
    if include_email:
        fields.append("email_encrypted")

    def rows():
        yield "\ufeff" + writer.writerow(header)
        for signature in (
            signatures.only(*fields).order_by("confirmed_at", "pk").iterator(chunk_size=2000)
        ):
            row = [
                signature.name,
                regions.get(signature.region, signature.region),
                timezone.localtime(signature.confirmed_at).date().isoformat(),
                signature.language,
            ]
            if include_email:
                row.append(signature.email)
            yield writer.writerow([safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
