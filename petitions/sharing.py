"""What a shared link shows: the preview image, drawn on the server with Pillow."""

import io
from functools import cache
from pathlib import Path

from django.core.cache import cache as django_cache
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext, pgettext
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 70
BACKGROUND = (122, 31, 61)
INK = (255, 255, 255)
DARK = (29, 29, 31)
TRACK = (165, 98, 120)
BAND_TOP = 500  # the white band at the bottom: the call to sign and the address
FONT = Path(__file__).parent / "fonts" / "NotoSans-Bold.ttf"
# The image changes with the count; drawing it costs ~50 ms, so it is cached per count.
IMAGE_CACHE_SECONDS = 600


@cache
def _font(size):
    return ImageFont.truetype(str(FONT), size)


def _wrap(text, font, width):
    """Greedy word wrap by rendered width, so long Cyrillic words never run off the image."""
    lines = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _fitting_font(text, sizes):
    """The largest of `sizes` at which `text` fits on one line."""
    for size in sizes:
        if _font(size).getlength(text) <= WIDTH - 2 * MARGIN:
            break
    return _font(size)


def draw_share_image(title, progress, address, language):
    """A 1200×630 PNG: the title, the count with a bar toward the next milestone, a call to
    sign and the address to type, in `language`."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for size in (64, 56, 48):
        lines = _wrap(title, _font(size), WIDTH - 2 * MARGIN)
        if len(lines) <= 3:
            break
    y = 48
    for line in lines[:4]:
        draw.text((MARGIN, y), line, font=_font(size), fill=INK)
        y += int(size * 1.2)

    with translation.override(language):
        if progress.count:
            label = ngettext("%(count)s signature", "%(count)s signatures", progress.count) % {
                "count": number_format(progress.count, force_grouping=True)
            }
        else:
            label = gettext("Your signature can be the first.")
        call = pgettext("call to act", "Sign the petition")
    draw.text((MARGIN, 330), label, font=_fitting_font(label, (56, 48, 40)), fill=INK)
    if progress.count:
        bar = (MARGIN, 425, WIDTH - MARGIN, 453)
        draw.rounded_rectangle(bar, radius=14, fill=TRACK)
        right = MARGIN + max(int((WIDTH - 2 * MARGIN) * progress.bar_value / progress.target), 28)
        draw.rounded_rectangle((MARGIN, bar[1], right, bar[3]), radius=14, fill=INK)

    draw.rectangle((0, BAND_TOP, WIDTH, HEIGHT), fill=INK)
    draw.text((MARGIN, BAND_TOP + 14), call, font=_font(44), fill=BACKGROUND)
    draw.text(
        (MARGIN, BAND_TOP + 78), address, font=_fitting_font(address, (30, 26, 22)), fill=DARK
    )
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def short_address(url):
    """What a person types: the address without its scheme or trailing slash."""
    return url.split("://", 1)[-1].rstrip("/")


def share_image(petition, count, url, language):
    """The petition's share image in one language, cached until anything drawn changes: the
    text (saved with updated_at), the count, the address and the language."""
    address = short_address(url)
    key = (
        f"petitions:share-image:{petition.pk}:{language}:"
        f"{petition.updated_at.timestamp()}:{count}:{address}"
    )
    png = django_cache.get(key)
    if png is None:
        with translation.override(language):
            title = petition.title
        png = draw_share_image(title, petition.progress(count), address, language)
        django_cache.set(key, png, IMAGE_CACHE_SECONDS)
    return png
