"""Streamlit's fonts, made light: its icon font keeps the icons Vitrine and Streamlit name (375 kB
→ 14 kB), its text fonts the Latin alphabets (170 kB → 68 kB). A first visit then stays under 1 MB.

Making them costs a few seconds of CPU: done once per font in a background thread (the original is
sent meanwhile), and kept in the cache folder, so a restarted server or a second replica finds them.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from directory import settings

log = logging.getLogger(__name__)

# Streamlit's front-end files, found without importing Streamlit (this package's core does not).
STREAMLIT_STATIC = Path(find_spec("streamlit").origin).parent / "static" / "static"
ICON_FONT = "MaterialSymbols-Rounded"
TEXT_FONTS = ("SourceSansVF-Upright", "SourceSansVF-Italic")
# Latin with its extensions (every language of Western and Central Europe), punctuation, currency
# signs, letter-like symbols and arrows; a name in another script is drawn by the system's font.
LATIN = (*range(0x20, 0x250), *range(0x2000, 0x2070), *range(0x20A0, 0x20C1), *range(0x2100, 0x2200))
ICON_NAME = re.compile(r":material/([a-z0-9_]+):")
# An icon is drawn from its name's letters: the ligature needs them too.
ICON_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789_"


def font_family(path: str) -> str | None:
    """The light font a static file's path names (its hashed name starts with the family), if any."""
    name = path.rsplit("/", 1)[-1]
    family = name.split(".", 1)[0]
    return family if name.endswith(".woff2") and family in (ICON_FONT, *TEXT_FONTS) else None


def icon_names() -> list[str]:
    """Every icon named as `:material/<name>:` in Vitrine's code and in Streamlit's front-end."""
    sources = [*STREAMLIT_STATIC.glob("js/*.js"), settings.APP_FILES / "app.py",
               *(settings.APP_FILES / "pages").glob("*.py"), *Path(__file__).resolve().parents[1].rglob("*.py")]
    names: set[str] = set()
    for source in sources:
        names.update(ICON_NAME.findall(source.read_text(encoding="utf-8", errors="ignore")))
    return sorted(names)


def icons_subset(original: bytes, names: list[str]) -> bytes:
    font = TTFont(io.BytesIO(original))
    glyph_of = {chr(code): glyph for code, glyph in font.getBestCmap().items()}
    ligatures = {}
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            table = getattr(table, "ExtSubTable", table)
            for first, items in getattr(table, "ligatures", {}).items():
                ligatures.update({(first, *item.Component): item.LigGlyph for item in items})
    wanted = {ligatures.get(tuple(glyph_of.get(letter) for letter in name)) for name in names} - {None}
    letters = {glyph_of[letter] for letter in ICON_LETTERS if letter in glyph_of}
    # Without the layout closure, the ligatures of the icons not kept go with their glyphs.
    return _subset(font, glyphs=sorted(wanted | letters), unicodes=[ord(letter) for letter in ICON_LETTERS],
                   layout_closure=False)


def text_subset(original: bytes) -> bytes:
    return _subset(TTFont(io.BytesIO(original)), glyphs=[], unicodes=list(LATIN), layout_closure=True)


def _subset(font: TTFont, *, glyphs: list[str], unicodes: list[int], layout_closure: bool) -> bytes:
    options = subset.Options(layout_features=["*"], flavor="woff2", notdef_outline=True,
                             layout_closure=layout_closure)
    subsetter = subset.Subsetter(options)
    subsetter.populate(glyphs=glyphs, unicodes=unicodes)
    subsetter.subset(font)
    light = io.BytesIO()
    font.save(light)
    return light.getvalue()


class LightFonts:
    """The light version of each font, made once: `light(family, original)` gives it when it is ready."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self._made: dict[str, Future[bytes | None]] = {}
        self._lock = threading.Lock()
        self._maker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vitrine-fonts")

    def start(self) -> None:
        """Start making every light font, so that the first visitors after a start get them."""
        for font in (STREAMLIT_STATIC / "media").glob("*.woff2"):
            if family := font_family(font.name):
                self._making(family, font.read_bytes())

    def light(self, family: str, original: bytes) -> bytes | None:
        """The light version of `original`, a font of `family`, if it is made, else None (its making
        is started)."""
        made = self._making(family, original)
        return made.result() if made.done() else None

    def _making(self, family: str, original: bytes) -> Future[bytes | None]:
        key = f"{family}-{hashlib.sha256(original).hexdigest()[:16]}"
        with self._lock:
            if key not in self._made:
                self._made[key] = self._maker.submit(self._make, key, family, original)
            return self._made[key]

    def _make(self, key: str, family: str, original: bytes) -> bytes | None:
        names = icon_names() if family == ICON_FONT else []
        # The file's name holds what it was made of: a new icon in the code makes a new file.
        recipe = hashlib.sha256(" ".join(names or map(str, LATIN)).encode()).hexdigest()[:16]
        kept = (self.cache_dir or settings.cache_dir()) / "fonts" / f"{key}-{recipe}.woff2"
        try:
            return kept.read_bytes()
        except OSError:
            pass
        try:
            light = icons_subset(original, names) if family == ICON_FONT else text_subset(original)
        except Exception:  # a font this code does not know how to read: the original stays
            log.exception("could not make %s light", family)
            return None
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            partial = kept.with_suffix(f".{os.getpid()}-{threading.get_ident()}.part")
            partial.write_bytes(light)
            partial.replace(kept)  # a replica reading it meanwhile sees it whole or not at all
        except OSError as error:
            log.warning("light fonts are not kept on disk (%s): each start makes them again", error)
        return light


@cache
def shared_light_fonts() -> LightFonts:
    """The process's one maker of light fonts, started on first use: every app built in the process
    (a test builds many) shares it, so that each font is made once, not once per app."""
    fonts = LightFonts()
    fonts.start()
    return fonts
