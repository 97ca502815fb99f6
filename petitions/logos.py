"""An organization's logo: checked and shrunk once on upload, then served from the database.

Storing the small result in the database keeps the containers stateless (no media volume to
share or back up). The address carries a digest of the bytes, so browsers and proxies may keep
it for a year: a new logo gets a new address.
"""

import hashlib
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from PIL import Image, ImageOps

from .models import Organization

MAX_BYTES = 5 * 1024 * 1024
# Decoding costs four bytes a pixel: 25 megapixels is 100 MB, the most one upload may take.
MAX_PIXELS = 25_000_000
# Three times the header's 40 CSS pixels of height, sharp on any phone; wide logos keep room.
BOX = (480, 120)
# Formats browsers show and Pillow decodes by itself (EPS, for one, would run Ghostscript).
FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
CONTENT_TYPE = "image/webp"


@dataclass(frozen=True)
class Logo:
    data: bytes
    width: int
    height: int

    @property
    def digest(self):
        return hashlib.sha256(self.data).hexdigest()[:16]


def check(upload):
    """Refuse what Django's ImageField let through but the site will not decode.

    `upload` is the cleaned value of a forms.ImageField: Pillow already found an image in it.
    """
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; a logo may be %(limit)s at most."),
            code="file_too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_BYTES)},
        )
    image = upload.image
    if image.format not in FORMATS:
        raise ValidationError(
            _("Upload the logo as PNG, JPEG, WebP or GIF."), code="invalid_image_format"
        )
    if image.width * image.height > MAX_PIXELS:
        raise ValidationError(
            _("The image is %(width)s×%(height)s pixels; a logo needs far fewer."),
            code="image_too_large",
            params={"width": image.width, "height": image.height},
        )


def shrink(upload):
    """The upload, turned upright, fitted into BOX and stored as WebP (keeps transparency)."""
    upload.seek(0)
    with Image.open(upload, formats=FORMATS) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail(BOX, Image.Resampling.LANCZOS)
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        out = io.BytesIO()
        image.save(out, "WEBP", quality=90, method=6)
        return Logo(out.getvalue(), image.width, image.height)


@cache_control(public=True, max_age=365 * 24 * 60 * 60, immutable=True)
def logo(request, pk, digest):
    organization = get_object_or_404(Organization.objects.only("logo"), pk=pk, logo_digest=digest)
    return HttpResponse(bytes(organization.logo), content_type=CONTENT_TYPE)
