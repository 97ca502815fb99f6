"""The signature book for parliament: a PDF of the petition's text and its confirmed signers.

A cover with the totals (online, on paper) and the date, the count by region, the petition's
text in the chosen language, then every confirmed signer (name and region, nothing else)
by region and, within a region, in the order they signed. Every page is numbered.

The signers are read in chunks from one snapshot of the database, so the cover's totals and
the list agree; fpdf2 (pure Python, TrueType fonts subset into the file) keeps only the
page content streams in memory, a few kilobytes a page.
"""

from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext
from fpdf import FPDF

from petitions.models import Petition

from . import counting
from .models import Region, Signature, Source

FONTS = Path(settings.BASE_DIR) / "petitions" / "fonts"
FONT = "NotoSans"
INK = (29, 29, 31)
MUTED = (95, 95, 105)
ACCENT = (122, 31, 61)
ROW_HEIGHT = 6
NUMBER_WIDTH = 22
REGION_WIDTH = 55
CHUNK = 2000
PAGES_ALIAS = "{total-pages}"


class _Document(FPDF):
    def __init__(self, title):
        super().__init__(format="A4", unit="mm")
        self.add_font(FONT, "", FONTS / "NotoSans-Regular.ttf")
        self.add_font(FONT, "B", FONTS / "NotoSans-Bold.ttf")
        self.set_title(title)
        self.set_creator(settings.SITE_URL)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 16, 18)
        self.set_text_color(*INK)
        self.page_label = gettext("Page %(page)s of %(pages)s")
        # The total is written in at the end, into the room its alias takes: a long alias
        # leaves room for a book of 100,000 pages and more.
        self.alias_nb_pages(PAGES_ALIAS)

    def footer(self):
        self.set_y(-13)
        self.set_font(FONT, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, self.page_label % {"page": self.page_no(), "pages": PAGES_ALIAS}, align="C")
        self.set_text_color(*INK)

    def heading(self, text, size=14):
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def paragraphs(self, text, size=10.5, style=""):
        self.set_font(FONT, style, size)
        for paragraph in text.split("\n\n"):
            if paragraph.strip():
                self.multi_cell(0, size * 0.5, paragraph.strip(), new_x="LMARGIN", new_y="NEXT")
                self.ln(2)

    def items(self, items, size=10.5):
        self.set_font(FONT, "", size)
        for number, text in enumerate(items, start=1):
            self.multi_cell(0, size * 0.5, f"{number}. {text}", new_x="LMARGIN", new_y="NEXT")
            self.ln(1)
        self.ln(2)


def _number(value):
    return formats.number_format(value, force_grouping=True)


def _cover(pdf, petition, by_region, by_source):
    pdf.add_page()
    pdf.set_text_color(*ACCENT)
    pdf.heading(gettext("Signature book"), size=22)
    pdf.set_text_color(*INK)
    pdf.heading(petition.title, size=16)
    total = sum(by_source.values())
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(
        0,
        7,
        ngettext("%(count)s signature", "%(count)s signatures", total) % {"count": _number(total)},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(
        0,
        6,
        gettext("%(online)s online + %(paper)s on paper")
        % {
            "online": _number(by_source.get(Source.ONLINE, 0)),
            "paper": _number(by_source.get(Source.PAPER, 0)),
        },
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.multi_cell(
        0,
        6,
        gettext("As of %(date)s") % {"date": formats.date_format(timezone.localdate())},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(6)
    pdf.heading(gettext("Signatures by region"), size=13)
    pdf.set_font(FONT, "", 11)
    for code, label in Region.choices:
        pdf.cell(110, 7, str(label), border="B")
        pdf.cell(0, 7, _number(by_region.get(code, 0)), border="B", align="R")
        pdf.ln()


def _text(pdf, petition):
    pdf.add_page()
    pdf.heading(petition.title, size=16)
    addressees = [part.text for part in petition.addressees.all()]
    if addressees:
        pdf.paragraphs("\n".join(addressees), style="B")
    for part in (petition.lead, petition.preamble, petition.quote_intro):
        pdf.paragraphs(part)
    pdf.paragraphs(petition.quote, size=10)
    pdf.paragraphs(petition.body)
    for intro, parts, title in (
        (petition.harms_intro, petition.harms, ""),
        (petition.reasons_intro, petition.reasons, petition.reasons_title),
        (petition.demands_intro, petition.demands, ""),
    ):
        items = [part.text for part in parts.all()]
        if title and items:
            pdf.heading(title, size=12)
        pdf.paragraphs(intro)
        pdf.items(items)


def _fit(pdf, text, width):
    """`text`, cut to `width`: only a long name is measured, as most fit by far."""
    if len(text) > 40:
        while pdf.get_string_width(text) > width:
            text = text[:-1]
    return text


def _signers(pdf, petition, by_region):
    # Rows are drawn with text() and a rule under them, five times faster than cell(): at
    # 100,000 signers that is the difference between one minute and five.
    name_x = pdf.l_margin + NUMBER_WIDTH
    region_x = pdf.w - pdf.r_margin - REGION_WIDTH
    bottom = pdf.h - pdf.b_margin
    erased = gettext("(name erased)")
    pdf.set_draw_color(200)
    pdf.set_line_width(0.2)
    number = 0
    for code, label in Region.choices:
        if not by_region.get(code):
            continue
        pdf.add_page()
        pdf.heading(f"{label}: {_number(by_region[code])}", size=13)
        pdf.set_font(FONT, "", 10)
        label = _fit(pdf, str(label), REGION_WIDTH)
        y = pdf.get_y()
        names = (
            Signature.objects.counted()
            .filter(petition=petition, region=code)
            .order_by("confirmed_at", "pk")
            .values_list("name", flat=True)
            .iterator(chunk_size=CHUNK)
        )
        for name in names:
            if y + ROW_HEIGHT > bottom:
                pdf.add_page()
                pdf.set_font(FONT, "", 10)
                y = pdf.t_margin
            number += 1
            baseline = y + ROW_HEIGHT - 1.8
            pdf.text(pdf.l_margin, baseline, _number(number))
            pdf.text(name_x, baseline, _fit(pdf, name or erased, region_x - name_x - 2))
            pdf.text(region_x, baseline, label)
            pdf.line(pdf.l_margin, y + ROW_HEIGHT, pdf.w - pdf.r_margin, y + ROW_HEIGHT)
            y += ROW_HEIGHT
    return number


def render(petition_id, language):
    """(PDF bytes, signers listed, pages) for the petition in `language`."""
    outermost = not connection.in_atomic_block
    with translation.override(language), transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One snapshot for the totals and the list: a signer confirmed meanwhile is in
            # neither, so the cover and the pages agree.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        petition = Petition.objects.get(pk=petition_id)
        figures = counting.totals("region", "source", petition=petition, status="confirmed")
        by_region, by_source = {}, {}
        for (region, source), signatures in figures.items():
            by_region[region] = by_region.get(region, 0) + signatures
            by_source[source] = by_source.get(source, 0) + signatures
        pdf = _Document(petition.title)
        _cover(pdf, petition, by_region, by_source)
        _text(pdf, petition)
        listed = _signers(pdf, petition, by_region)
        return bytes(pdf.output()), listed, pdf.pages_count
