"""Re-encoding of every stored image with Pillow: the orientation of its EXIF tag applied to
the pixels, then written anew without any metadata (no EXIF, GPS, XMP, ICC profile or
comment), the longest side capped at ``MAX_SIDE``, and the thumbnail (``THUMB_SIDE``) made
once, here. PNGs and images with transparency become PNG, all others JPEG; thumbnails are JPEG.

Never checks what a file is (``uploads`` does, before) and never stores anything."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps

MAX_SIDE = 2000
THUMB_SIDE = 480
JPEG_QUALITY = 85
THUMB_QUALITY = 80
BACKGROUND = (255, 255, 255)


@dataclass(frozen=True)
class Encoded:
    data: bytes
    thumb: bytes
    mime: str
    width: int
    height: int


def _has_alpha(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA"):
        return image.getextrema()[-1][0] < 255
    return image.mode == "P" and "transparency" in image.info


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white (transparent parts become white)."""
    rgba = image.convert("RGBA")
    canvas = Image.new("RGB", rgba.size, BACKGROUND)
    canvas.paste(rgba, mask=rgba.getchannel("A"))
    return canvas


def _write(image: Image.Image, fmt: str, quality: int) -> bytes:
    out = io.BytesIO()
    if fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image holding only the pixels: nothing of ``info`` (EXIF, XMP, ICC, comments)."""
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def reencode(data: bytes) -> Encoded:
    """The image of ``data`` (checked by ``uploads.check_upload``) upright, metadata-free,
    at most ``MAX_SIDE`` px, with its thumbnail."""
    with Image.open(io.BytesIO(data)) as source:
        source.load()
        upright = ImageOps.exif_transpose(source) or source
        alpha = _has_alpha(upright)
        lossless = alpha or source.format == "PNG"  # drawings and plans stay sharp
        image = upright.convert("RGBA") if alpha else _flatten(upright)
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    image = _pixels_only(image)
    fmt = "PNG" if lossless else "JPEG"
    thumb = _flatten(image) if alpha else image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return Encoded(
        data=_write(image, fmt, JPEG_QUALITY),
        thumb=_write(thumb, "JPEG", THUMB_QUALITY),
        mime="image/png" if lossless else "image/jpeg",
        width=image.width,
        height=image.height,
    )
