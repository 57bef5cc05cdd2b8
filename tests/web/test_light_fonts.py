"""Streamlit's fonts, cut to what Vitrine draws: a first visit stays under 1 MB (issue 21), with no
icon drawn as its name and no French letter drawn by another font."""

import time
from pathlib import Path

import pytest
import streamlit
from fontTools.ttLib import TTFont
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from directory.settings import APP_FILES
from directory.web.fonts import ICON_NAME, LightFonts, font_family, icons_subset, text_subset
from directory.web.frontend import FrontEndFiles

MEDIA = Path(streamlit.__file__).parent / "static" / "static" / "media"
ICONS = next(MEDIA.glob("MaterialSymbols-Rounded.*.woff2"))
TEXT = next(MEDIA.glob("SourceSansVF-Upright.*.woff2"))


def ligatures_of(font_bytes: bytes) -> set[str]:
    """The names the font draws as an icon."""
    import io

    font = TTFont(io.BytesIO(font_bytes))
    letter_of = {glyph: chr(code) for code, glyph in font.getBestCmap().items()}
    names = set()
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            table = getattr(table, "ExtSubTable", table)
            for first, items in getattr(table, "ligatures", {}).items():
                names.update("".join(letter_of.get(glyph, "?") for glyph in (first, *item.Component))
                             for item in items)
    return names


def test_the_icon_font_keeps_the_icons_named_and_only_them():
    light = icons_subset(ICONS.read_bytes(), ["map", "filter_list"])
    assert {"map", "filter_list"} <= ligatures_of(light)
    assert "rocket_launch" not in ligatures_of(light)
    assert len(light) < 20_000 < 300_000 < ICONS.stat().st_size


def test_every_icon_vitrine_names_exists_and_stays_in_the_light_font():
    from directory.web.fonts import icon_names

    ours = set()
    for source in [APP_FILES / "app.py", *(APP_FILES / "pages").glob("*.py"),
                   *(APP_FILES / "directory").rglob("*.py")]:
        ours.update(ICON_NAME.findall(source.read_text(encoding="utf-8")))
    assert len(ours) > 30
    kept = ligatures_of(icons_subset(ICONS.read_bytes(), icon_names()))
    assert sorted(ours - kept) == []  # a misspelt icon would be drawn as its name


def test_the_text_font_keeps_french_and_its_punctuation():
    import io

    light = text_subset(TEXT.read_bytes())
    drawn = {chr(code) for code in TTFont(io.BytesIO(light)).getBestCmap()}
    assert set("àâçéèêëîïôûùüÿœæÀÇÉÈŒ«»’…–—€ ") <= drawn
    assert len(light) < 0.5 * TEXT.stat().st_size


@pytest.fixture
def files():
    """FrontEndFiles in front of an app that answers the icon font as Streamlit does."""
    original = ICONS.read_bytes()

    def font(request):
        return Response(original, media_type="font/woff2",
                        headers={"ETag": '"streamlit"', "Cache-Control": "public, immutable, max-age=31536000"})

    return TestClient(FrontEndFiles(Starlette(routes=[Route(f"/static/media/{ICONS.name}", font)]))), original


def test_the_light_icon_font_is_sent_and_checked_again_on_each_visit(files):
    client, original = files
    deadline = time.time() + 60
    while len((answer := client.get(f"/static/media/{ICONS.name}")).content) == len(original):  # being made
        assert time.time() < deadline
        time.sleep(0.2)
    assert len(answer.content) < 20_000
    # Its address is Streamlit's, its glyphs follow Vitrine's code: never cached blindly for a year.
    assert answer.headers["cache-control"] == "no-cache"
    assert answer.headers["etag"] != '"streamlit"'
    again = client.get(f"/static/media/{ICONS.name}", headers={"If-None-Match": answer.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def light_font_of(fonts: LightFonts, name: str, original: bytes) -> bytes:
    deadline = time.time() + 60
    while (light := fonts.light(font_family(name), original)) is None:  # being made, in the background
        assert time.time() < deadline
        time.sleep(0.1)
    return light


def test_a_light_font_is_made_once_and_found_on_disk_by_the_next_start(tmp_path, monkeypatch):
    original = ICONS.read_bytes()
    made = light_font_of(LightFonts(tmp_path), ICONS.name, original)
    [kept] = (tmp_path / "fonts").glob("MaterialSymbols-Rounded-*.woff2")
    assert kept.read_bytes() == made
    monkeypatch.setattr("directory.web.fonts.icons_subset", lambda *args: pytest.fail("made again"))
    assert light_font_of(LightFonts(tmp_path), ICONS.name, original) == made


def test_the_original_sent_while_the_light_font_is_made_is_not_kept_for_a_year(files, monkeypatch):
    monkeypatch.setattr(LightFonts, "light", lambda fonts, family, original: None)  # still being made
    client, original = files
    answer = client.get(f"/static/media/{ICONS.name}")
    assert answer.content == original
    # Else a browser, or the deployment's nginx, would never ask for the light one.
    assert answer.headers["cache-control"] == "no-cache"
