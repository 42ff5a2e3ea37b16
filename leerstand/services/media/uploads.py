"""The content check of every uploaded photo or document: what a file is, decided by its bytes
(magic numbers, then the image library or the PDF reader actually opening it), never by its
name or the browser's content type. JPEG, PNG and WebP images; PDF where documents are allowed.
SVG, HTML and everything else, empty and oversized files are refused with a German message.

Never stores, re-encodes or names anything (``images`` re-encodes, ``storage`` stores)."""

from __future__ import annotations

import io
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

from PIL import Image

from leerstand.messages import Text
from leerstand.services.errors import ServiceError

MB = 1024 * 1024
DEFAULT_MAX_IMAGE_BYTES = 10 * MB
DEFAULT_MAX_DOCUMENT_BYTES = 20 * MB
# beyond this an image is refused (a decompression bomb, or a panorama no page needs)
MAX_PIXELS = 50_000_000
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def max_image_bytes(config: Mapping) -> int:
    return int(config.get("MEDIA_MAX_IMAGE_BYTES") or DEFAULT_MAX_IMAGE_BYTES)


def max_document_bytes(config: Mapping) -> int:
    return int(config.get("MEDIA_MAX_DOCUMENT_BYTES") or DEFAULT_MAX_DOCUMENT_BYTES)


@dataclass(frozen=True)
class Upload:
    kind: str  # "image" | "pdf"
    mime: str
    data: bytes


def too_large(max_bytes: int) -> Text:
    return Text("Die Datei ist zu groß (höchstens %(mb)s MB).", mb=float(max_bytes / MB))


def _sniff(data: bytes) -> str | None:
    """The format the first bytes announce: a PIL format name, "PDF" or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data.startswith(b"%PDF-"):
        return "PDF"
    return None


def _wrong_type(allow_pdf: bool) -> Text:
    if allow_pdf:
        return Text(
            "Diese Datei ist weder ein Bild (JPEG, PNG, WebP) noch ein PDF. Bitte laden Sie "
            "ein Foto oder ein PDF-Dokument hoch."
        )
    return Text(
        "Diese Datei ist kein Foto im Format JPEG, PNG oder WebP. Bitte laden Sie ein "
        "solches Bild hoch."
    )


def _check_image(data: bytes, expected: str) -> None:
    unreadable = ServiceError(
        Text("Das Bild lässt sich nicht lesen (beschädigt oder unvollständig).")
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != expected:
                    raise unreadable
                if image.width * image.height > MAX_PIXELS:
                    raise ServiceError(
                        Text(
                            "Das Bild hat zu viele Bildpunkte (höchstens %(mp)s Megapixel).",
                            mp=MAX_PIXELS // 1_000_000,
                        )
                    )
                image.load()  # decodes every byte: a truncated file fails here
    except ServiceError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning) as exc:
        raise unreadable from exc


def _check_pdf(data: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted or len(reader.pages) < 1:
            raise ValueError("encrypted or empty")
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise ServiceError(
            Text(
                "Das PDF lässt sich nicht lesen (beschädigt, leer oder verschlüsselt). Bitte "
                "speichern Sie es ohne Kennwort neu."
            )
        ) from exc


def check_upload(data: bytes, *, allow_pdf: bool, max_bytes: int) -> Upload:
    """What ``data`` is, or ServiceError with the German reason; nothing is written."""
    if not data:
        raise ServiceError(Text("Die Datei ist leer. Bitte wählen Sie eine andere Datei aus."))
    if len(data) > max_bytes:
        raise ServiceError(too_large(max_bytes))
    found = _sniff(data)
    if found == "PDF" and allow_pdf:
        _check_pdf(data)
        return Upload("pdf", "application/pdf", data)
    if found not in IMAGE_FORMATS:
        raise ServiceError(_wrong_type(allow_pdf))
    _check_image(data, found)
    return Upload("image", IMAGE_FORMATS[found], data)
