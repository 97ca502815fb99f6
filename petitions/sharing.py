"""What a shared link shows: the preview image, drawn on the server with Pillow."""

import io
from functools import cache
from pathlib import Path

from django.core.cache import cache as django_cache
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import ngettext
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
BACKGROUND = (122, 31, 61)
INK = (255, 255, 255)
TRACK = (165, 98, 120)
FONT = Path(__file__).parent / "fonts" / "NotoSans-Bold.ttf"
# The count on a shared image may lag by a few minutes; drawing it costs ~50 ms.
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


def draw_share_image(title, count, goal, language):
    """A 1200×630 PNG with the petition's title, its count and a progress bar."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for size in (72, 60, 50):
        lines = _wrap(title, _font(size), WIDTH - 140)
        if len(lines) <= 4:
            break
    lines = lines[:4]
    y = 70
    for line in lines:
        draw.text((70, y), line, font=_font(size), fill=INK)
        y += int(size * 1.2)
    with translation.override(language):
        label = ngettext("%(count)s signature", "%(count)s signatures", count) % {
            "count": number_format(count, force_grouping=True)
        }
    draw.text((70, HEIGHT - 190), label, font=_font(56), fill=INK)
    bar_top, bar_bottom = HEIGHT - 95, HEIGHT - 65
    draw.rounded_rectangle((70, bar_top, WIDTH - 70, bar_bottom), radius=15, fill=TRACK)
    done = min(count / goal, 1) if goal else 0
    if done:
        right = 70 + max(int((WIDTH - 140) * done), 30)
        draw.rounded_rectangle((70, bar_top, right, bar_bottom), radius=15, fill=INK)
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def share_image(petition, count, language):
    """The petition's share image in one language, cached for a few minutes."""
    key = f"petitions:share-image:{petition.pk}:{language}"
    png = django_cache.get(key)
    if png is None:
        with translation.override(language):
            title = petition.title
        png = draw_share_image(title, count, petition.goal, language)
        django_cache.set(key, png, IMAGE_CACHE_SECONDS)
    return png
