"""Uploaded logos: PNG or JPEG only (judged by content, not name), size-limited, re-encoded."""

from __future__ import annotations

import io
import warnings

from PIL import Image, UnidentifiedImageError

from directory.i18n import N_
from directory.validation import Invalid

MAX_LOGO_MEGABYTES = 2
MAX_LOGO_BYTES = MAX_LOGO_MEGABYTES * 1024 * 1024
MAX_LOGO_PIXELS = 25_000_000  # a decompression bomb declares far more
LOGO_BOX = (512, 512)


def clean_logo(data: bytes | None) -> tuple[bytes | None, str]:
    """The logo re-encoded (metadata dropped, at most 512×512) and its type, or (None, "")."""
    if not data:
        return None, ""
    if len(data) > MAX_LOGO_BYTES:
        raise Invalid(N_("Logo trop lourd : {max} Mo au maximum."), max=MAX_LOGO_MEGABYTES)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                if kind not in {"PNG", "JPEG"}:
                    raise Invalid(N_("Logo refusé : seuls les formats PNG et JPEG sont acceptés."))
                if probe.width * probe.height > MAX_LOGO_PIXELS:
                    raise Invalid(N_("Logo refusé : image trop grande."))
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image.thumbnail(LOGO_BOX)
                output = io.BytesIO()
                if kind == "PNG":
                    image.save(output, "PNG", optimize=True)
                else:
                    image.convert("RGB").save(output, "JPEG", quality=85)
    except Invalid:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise Invalid(N_("Logo illisible : envoyez une image PNG ou JPEG valide.")) from error
    return output.getvalue(), "image/png" if kind == "PNG" else "image/jpeg"
