"""Paper signatures: a CSV file of rows read, checked row by row, then entered once.

Reading stores nothing, so the admin can show the rows and their errors before the organizer
confirms. Entering stores the rows as confirmed signatures with source "paper" in a
PaperBatch keyed by the file's digest: the same file sent twice is entered once.
"""

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import datetime, time

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from . import counting
from .forms import PersonNameField
from .models import PaperBatch, Region, Signature, Source

MAX_ROWS = 20_000
# The checked text comes back with the confirmation as a form field: it must stay within
# Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), and 20,000 rows take about 1 MB.
MAX_BYTES = 2_000_000
COLUMNS = 4
# A first row naming the columns, in either language, is a header, not a signature.
HEADER_NAMES = {"name", "имя", "фио", "ф.и.о."}


def _region_names():
    """{code or name in any of the site's languages, casefolded: region code}."""
    names = {}
    for code, label in Region.choices:
        names[code.casefold()] = code
        for language in ("en", "ru"):
            with translation.override(language):
                names[str(label).casefold()] = code
    return names


class RegionField(forms.CharField):
    default_error_messages = {
        "unknown": _("Unknown city or region “%(value)s”; write one of: %(names)s."),
    }

    def to_python(self, value):
        value = " ".join(super().to_python(value).split())
        if not value:
            return value
        code = _region_names().get(value.casefold())
        if code is None:
            # The names as the site shows them, in the organizer's language: «Ош» alone
            # could be the city or the region.
            raise forms.ValidationError(
                self.error_messages["unknown"],
                code="unknown",
                params={"value": value, "names": ", ".join(map(str, Region.labels))},
            )
        return code


class PaperRowForm(forms.Form):
    name = PersonNameField(label=_("Name"))
    region = RegionField(label=_("Region"))
    date = forms.DateField(label=_("Date"), input_formats=["%Y-%m-%d", "%d.%m.%Y"])
    sheet = forms.CharField(label=_("Sheet number"), max_length=20)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."), code="future")
        return date


@dataclass
class Row:
    line: int
    cells: list
    data: dict | None = None
    errors: list = field(default_factory=list)


@dataclass
class Sheet:
    """What a file holds: its rows, each with its errors, or an error about the whole file."""

    text: str
    rows: list
    error: str = ""

    @property
    def valid(self):
        return not self.error and bool(self.rows) and not any(row.errors for row in self.rows)

    @property
    def error_count(self):
        return sum(bool(row.errors) for row in self.rows)

    def digest(self, petition):
        return hashlib.sha256(f"{petition.pk}\n{self.text}".encode()).hexdigest()


def decode(content):
    """The file's text, or None when it is not UTF-8 (as "CSV UTF-8" saves it)."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def read(text):
    """Check every row of a CSV text (comma, semicolon or tab separated); stores nothing."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    try:
        for line, cells in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            if not any(cell.strip() for cell in cells):
                continue
            if not rows and line == 1 and cells[0].strip().casefold() in HEADER_NAMES:
                continue
            if len(rows) == MAX_ROWS:
                error = _("A file may hold at most %(max)s rows.") % {
                    "max": number_format(MAX_ROWS, force_grouping=True)
                }
                return Sheet(text, rows, error)
            rows.append(_check(line, cells))
    except csv.Error:
        # A cell over the csv module's size limit: no spreadsheet writes one.
        return Sheet(text, [], _("The file cannot be read as CSV."))
    if not rows:
        return Sheet(text, rows, _("The file holds no signatures."))
    return Sheet(text, rows)


def _check(line, cells):
    row = Row(line, cells)
    if len(cells) != COLUMNS:
        row.errors.append(
            _("Expected 4 columns (name, region, date, sheet number), found %(count)d.")
            % {"count": len(cells)}
        )
        return row
    form = PaperRowForm(dict(zip(["name", "region", "date", "sheet"], cells, strict=True)))
    if form.is_valid():
        row.data = form.cleaned_data
    else:
        row.errors = [
            f"{form.fields[name].label}: {message}"
            for name, messages in form.errors.items()
            for message in messages
        ]
    return row


def enter(petition, sheet, *, user, filename=""):
    """Store a valid sheet's rows as counted paper signatures; None if it was entered before."""
    if not sheet.valid:
        raise ValueError("Only a sheet without errors can be entered.")
    try:
        with transaction.atomic():
            batch = PaperBatch.objects.create(
                petition=petition,
                digest=sheet.digest(petition),
                filename=filename[:200],
                entered_by=user,
            )
            zone = timezone.get_default_timezone()
            Signature.objects.bulk_create(
                Signature(
                    petition=petition,
                    status=Signature.Status.CONFIRMED,
                    source=Source.PAPER,
                    paper_batch=batch,
                    name=row.data["name"],
                    region=row.data["region"],
                    sheet=row.data["sheet"],
                    # The day it was signed on paper; the hour is unknown, noon keeps the day
                    # the same in every time zone the campaign works in.
                    created_at=(signed := datetime.combine(row.data["date"], time(12), zone)),
                    confirmed_at=signed,
                    language="",
                    emails_sent=0,
                )
                for row in sheet.rows
            )
            counting.entered(Signature.objects.filter(paper_batch=batch))
    except IntegrityError:
        if PaperBatch.objects.filter(petition=petition, digest=sheet.digest(petition)).exists():
            return None
        raise
    counting.forget(petition.pk)
    return batch
