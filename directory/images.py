"""Uploaded logos: PNG or JPEG only (judged by content, not name), size-limited, re-encoded.

An image is judged before it is decoded: its header says its size, and a logo needs no more than
MAX_LOGO_SIDE pixels a side (a 97 kB PNG may declare 5,000 × 5,000, some 100 MB once decoded).
A JPEG is decoded straight at the reduced size. Logos are decoded by DECODES_AT_ONCE threads of
their own: ten sent together cost two at a time, and the memory the allocator keeps per thread
after a decode is kept by those two threads only (decoding in each caller's thread left some
50 MB per thread that had ever decoded a large PNG: +590 MB for ten at once, measured)."""

from __future__ import annotations

import io
import warnings
from concurrent.futures import ThreadPoolExecutor

from PIL import Image, UnidentifiedImageError

from directory.i18n import N_
from directory.validation import Invalid

MAX_LOGO_MEGABYTES = 2
MAX_LOGO_BYTES = MAX_LOGO_MEGABYTES * 1024 * 1024
MAX_LOGO_SIDE = 4000
LOGO_BOX = (512, 512)
DECODES_AT_ONCE = 2
_decoders = ThreadPoolExecutor(DECODES_AT_ONCE, thread_name_prefix="vitrine-logo")


def clean_logo(data: bytes | None) -> tuple[bytes | None, str]:
    """The logo re-encoded (metadata dropped, at most 512×512) and its type, or (None, "")."""
    if not data:
        return None, ""
    if len(data) > MAX_LOGO_BYTES:
        raise Invalid(N_("Logo trop lourd : {max} Mo au maximum."), max=MAX_LOGO_MEGABYTES)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            kind = _judged(data)
        return _decoders.submit(_re_encoded, data, kind).result(), f"image/{kind.lower()}"
    except Invalid:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise Invalid(N_("Logo illisible : envoyez une image PNG ou JPEG valide.")) from error


def _judged(data: bytes) -> str:
    """The image's format, from its header and structure only (nothing decoded)."""
    with Image.open(io.BytesIO(data)) as probe:
        if probe.format not in {"PNG", "JPEG"}:
            raise Invalid(N_("Logo refusé : seuls les formats PNG et JPEG sont acceptés."))
        width, height = probe.size
        if max(width, height) > MAX_LOGO_SIDE:
            raise Invalid(N_("Logo refusé : l'image mesure {width} × {height} pixels ; {max} × {max} pixels au plus "
                             "suffisent pour un logo."), width=width, height=height, max=MAX_LOGO_SIDE)
        probe.verify()
        return probe.format


def _re_encoded(data: bytes, kind: str) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as image:
            if kind == "JPEG":
                image.draft("RGB", LOGO_BOX)  # decoded at 1/2, 1/4 or 1/8 of its size, still above the box
            image.load()
            image.thumbnail(LOGO_BOX)
            output = io.BytesIO()
            if kind == "PNG":
                image.save(output, "PNG", optimize=True)
            else:
                image.convert("RGB").save(output, "JPEG", quality=85)
            return output.getvalue()
