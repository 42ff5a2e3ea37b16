"""Files for the media tests, made here byte by byte: a JPEG with GPS EXIF and an orientation
tag, PNGs with and without transparency, a small PDF, an HTML page and an SVG."""

from __future__ import annotations

import io

from PIL import Image

# EXIF tag numbers (TIFF/EXIF standard)
ORIENTATION = 0x0112
GPS_IFD = 0x8825
MAKE = 0x010F


def jpeg_with_gps(width: int = 64, height: int = 32, orientation: int = 6) -> bytes:
    """A ``width`` × ``height`` JPEG, left half red and right half blue, with an orientation
    tag (6: the camera was turned, show it rotated 90° clockwise), a camera make and a GPS
    position (51.72 N, 11.24 E)."""
    image = Image.new("RGB", (width, height), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, width // 2, height))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE] = "Testkamera"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 43.0, 12.0), 3: "E", 4: (11.0, 14.0, 24.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=95)
    return out.getvalue()


def png(width: int = 40, height: int = 30, alpha: bool = False) -> bytes:
    mode, colour = ("RGBA", (0, 128, 0, 100)) if alpha else ("RGB", (0, 128, 0))
    out = io.BytesIO()
    Image.new(mode, (width, height), colour).save(out, "PNG")
    return out.getvalue()


def webp(width: int = 20, height: int = 20) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 10, 10)).save(out, "WEBP")
    return out.getvalue()


def pdf(title: str = "Grundriss") -> bytes:
    """A one-page PDF written by hand (objects, xref table, trailer)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Title (" + title.encode("latin-1") + b") /Author (Amt) >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)
