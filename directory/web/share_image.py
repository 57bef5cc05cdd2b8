"""The picture a shared link previews with (og:image): the partner's name on its kind's colour."""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
# Debian's fonts-dejavu-core (.ci/run installs it); Pillow's own font lacks accented letters.
FONT_FILES = {"regular": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
              "bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"}


@lru_cache(maxsize=8)
def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(FONT_FILES[weight], size)
    except OSError:
        return ImageFont.load_default(size=size)


def _wrapped(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int, lines: int) -> list[str]:
    """Words laid on at most `lines` lines of `width` pixels, the last one cut with "…"."""
    result: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not current:
            current = trial
        else:
            result.append(current)
            current = word
    result.append(current)
    if len(result) > lines:
        result = result[:lines]
        result[-1] = result[-1].rstrip() + " …"
    return [line if draw.textlength(line, font=font) <= width else line[: max(1, len(line) * width // int(
        draw.textlength(line, font=font)) - 1)] + "…" for line in result]


@lru_cache(maxsize=512)
def partner_image(name: str, kind_label: str, colour: str, site_name: str) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 36, HEIGHT), fill=colour)
    draw.rectangle((0, HEIGHT - 110, WIDTH, HEIGHT), fill="#F4F6F9")
    kind_font, name_font, site_font = _font("bold", 40), _font("bold", 72), _font("regular", 34)
    draw.text((MARGIN, 90), kind_label, font=kind_font, fill=colour)
    y = 170
    for line in _wrapped(draw, name, name_font, WIDTH - 2 * MARGIN, 3):
        draw.text((MARGIN, y), line, font=name_font, fill="#1D2330")
        y += 96
    draw.text((MARGIN, HEIGHT - 78), site_name, font=site_font, fill="#4A5262")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
