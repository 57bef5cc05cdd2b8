import io
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image, ImageFile

from directory.i18n import translate
from directory.images import DECODES_AT_ONCE, MAX_LOGO_BYTES, clean_logo
from directory.validation import Invalid
from tests.factories import picture


@pytest.mark.parametrize("kind, mime", [("PNG", "image/png"), ("JPEG", "image/jpeg")])
def test_png_and_jpeg_are_re_encoded_and_shrunk(kind, mime):
    data, stored_type = clean_logo(picture(kind))
    assert stored_type == mime
    with Image.open(io.BytesIO(data)) as image:
        assert max(image.size) == 512


@pytest.mark.parametrize("data", [
    b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    b"%PDF-1.4\n%...",  # a PDF renamed .png
    picture("PNG")[:100],  # truncated
    picture("GIF"),
    b"\x00" * 10,
])
def test_anything_else_is_refused(data):
    with pytest.raises(Invalid):
        clean_logo(data)


def test_oversized_files_and_decompression_bombs_are_refused():
    with pytest.raises(Invalid):
        clean_logo(b"\x89PNG" + b"0" * MAX_LOGO_BYTES)
    bomb = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(bomb, "PNG")  # tiny file, 400 megapixels
    with pytest.raises(Invalid):
        clean_logo(bomb.getvalue())


def test_no_logo_is_fine():
    assert clean_logo(None) == (None, "")


def bomb(side: int = 4999) -> bytes:
    """A PNG of under 100 kB that declares side × side pixels (about 100 MB once decoded at 4999)."""
    data = io.BytesIO()
    Image.new("RGB", (side, side)).save(data, "PNG", optimize=True)
    return data.getvalue()


def test_a_bomb_is_refused_from_its_header_before_anything_is_decoded(monkeypatch):
    """Issue 32, item 5: the audit's 97 kB PNG of 4999 × 4999 passed the 25-megapixel limit."""
    def decoding(*args, **kwargs):
        raise AssertionError("decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decoding)
    data = bomb()
    assert len(data) < 150_000
    with pytest.raises(Invalid) as refused:
        clean_logo(data)
    assert translate(refused.value.message.text, "fr", **refused.value.message.params) == (
        "Logo refusé : l'image mesure 4999 × 4999 pixels ; 4000 × 4000 pixels au plus suffisent pour un logo.")
    assert translate(refused.value.message.text, "en", **refused.value.message.params) == (
        "Logo refused: the image is 4999 × 4999 pixels; 4000 × 4000 pixels at most are enough for a logo.")


def test_ten_logos_sent_at_once_are_decoded_two_at_a_time(monkeypatch):
    decoding, most = [0], [0]
    lock = threading.Lock()
    real_thumbnail = Image.Image.thumbnail

    def counted(image, *args, **kwargs):
        with lock:
            decoding[0] += 1
            most[0] = max(most[0], decoding[0])
        try:
            threading.Event().wait(0.05)  # the time a decode takes, so that they overlap
            return real_thumbnail(image, *args, **kwargs)
        finally:
            with lock:
                decoding[0] -= 1

    monkeypatch.setattr(Image.Image, "thumbnail", counted)
    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(lambda _: clean_logo(picture("JPEG", size=(3000, 2000))), range(10)))
    assert most[0] == DECODES_AT_ONCE == 2
    assert all(kind == "image/jpeg" for _, kind in results)
