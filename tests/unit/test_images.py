import io

import pytest
from PIL import Image

from directory.images import MAX_LOGO_BYTES, clean_logo
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
