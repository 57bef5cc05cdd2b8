"""Streamlit's own front-end files, sent the way a busy site needs them.

Streamlit 1.67 sends its JavaScript and CSS uncompressed (3 MB on a first visit): this
middleware gzips them once per file. Their names carry a content hash, so each answer is kept
whole in memory and sent again without reaching Streamlit: a first visit asks for some sixty
files, which cost a process more than running the page itself. It also tells the front-end
where the server is, so that a page opened at a deep address (/agenda) does not first probe
/agenda/_stcore/health and /agenda/_stcore/host-config (two 404s on every such visit), announces
the scripts of the elements most pages draw, and sends Streamlit's fonts light (fonts.py).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from functools import lru_cache

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from directory.web.fonts import STREAMLIT_STATIC, font_family, shared_light_fonts

COMPRESSIBLE = ("application/javascript", "text/javascript", "text/css", "application/json", "image/svg+xml",
                "text/html")
INDEX_MARK = b"<head>"


@lru_cache(maxsize=8)
def _gzipped(key: str, body: bytes) -> bytes:
    """`key` names the file's version (path and ETag), so each one is compressed once (Streamlit's
    index, which answers every page; the static files are kept whole by FrontEndFiles)."""
    return gzip.compress(body, compresslevel=6, mtime=0)


def _backend_script(base_path: str) -> bytes:
    prefix = f"/{base_path.strip('/')}/" if base_path.strip("/") else "/"
    # The front-end reads window.__streamlit once, when its bundle loads: set before it.
    address = json.dumps(prefix)
    return (f"<script>window.__streamlit = {{BACKEND_BASE_URL: new URL({address}, location.origin).href}};"
            "</script>").encode()


STATIC_JS = STREAMLIT_STATIC / "js"
# The parts of Streamlit's front-end that most pages draw (the sidebar's links, the language
# box, text boxes, segmented controls, components, frames, HTML, downloads, buttons, the
# explore page's filters). Streamlit loads each when it first meets its element, in waves after
# the page's first answer, or on a first click; announced in the index, they arrive with the
# main script instead.
FIRST_ELEMENTS = ("PageLink", "Selectbox", "TextInput", "ButtonGroup", "ComponentInstance", "IFrame", "Html",
                  "DownloadButton", "Button", "Multiselect")
STATIC_IMPORT = re.compile(rb'(?:from|import)\s*"\./([^"]+\.js)"')


@lru_cache(maxsize=2)
def _preload_links(index: bytes) -> bytes:
    """<link rel=modulepreload> for FIRST_ELEMENTS and what they import, unless the index has them."""
    wanted: list[str] = []
    waiting = [found.name for name in FIRST_ELEMENTS for found in sorted(STATIC_JS.glob(f"{name}.*.js"))[:1]]
    while waiting:
        name = waiting.pop(0)
        if name in wanted or name.encode() in index:
            continue
        wanted.append(name)
        waiting.extend(found.decode() for found in STATIC_IMPORT.findall((STATIC_JS / name).read_bytes()))
    return "".join(f'<link rel="modulepreload" crossorigin href="./static/js/{name}">' for name in wanted).encode()


# Streamlit's front-end is some 120 files (5 MB before compression): every one fits.
KEPT_FILES = 512


class FrontEndFiles:
    def __init__(self, app: ASGIApp, *, base_path: str = "") -> None:
        self.app = app
        prefix = f"/{base_path.strip('/')}" if base_path.strip("/") else ""
        self.static_prefix = prefix + "/static/"
        self.component_prefix = prefix + "/component/"
        self.script = _backend_script(base_path)
        self.kept: dict[tuple[str, bool], tuple[Message, bytes]] = {}  # (path, gzip) → whole answer
        self.fonts = shared_light_fonts()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        accepts_gzip = "gzip" in request_headers.get("accept-encoding", "")
        kept = self.kept.get((scope["path"], accepts_gzip))
        if kept is not None:
            start, body = kept
            etag = Headers(raw=start["headers"]).get("etag")
            if etag is not None and request_headers.get("if-none-match") == etag:
                start, body = {**start, "status": 304, "headers": [(b"etag", etag.encode())]}, b""
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        start: Message | None = None
        chunks: list[bytes] = []
        passing = False

        async def buffered(message: Message) -> None:
            nonlocal start, passing
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                kind = headers.get("content-type", "").split(";")[0]
                ours = self._handles(scope["path"], kind, message["status"], headers)
                if not ours:
                    passing = True
                    await send(message)
                    return
                start = message
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                await self._send_whole(scope, start, b"".join(chunks), accepts_gzip, send)

        await self.app(scope, receive, buffered)

    def _handles(self, path: str, kind: str, status: int, headers: Headers) -> bool:
        if status != 200:
            return False
        if kind == "text/html":  # Streamlit's index: not our own pages, nor a component's frame
            return "content-security-policy" not in headers and not path.startswith(self.component_prefix)
        return path.startswith(self.static_prefix) and "content-encoding" not in headers

    async def _send_whole(self, scope: Scope, start: Message, body: bytes, accepts_gzip: bool, send: Send) -> None:
        headers = MutableHeaders(raw=list(start["headers"]))
        version = headers.get("etag", "")
        if headers.get("content-type", "").startswith("text/html"):
            if headers.get("content-encoding") == "gzip":  # Streamlit compresses its index itself
                body = gzip.decompress(body)
                del headers["content-encoding"]
            body = body.replace(INDEX_MARK, INDEX_MARK + self.script + _preload_links(body), 1)
            key = f"index:{version}"  # the same page answers every deep address
            del headers["etag"]  # the body is no longer the file's
        else:
            key = f"{scope['path']}:{version}"
        keep = scope["path"].startswith(self.static_prefix) and len(self.kept) < KEPT_FILES
        if family := font_family(scope["path"]):
            # Its address stays Streamlit's while its glyphs follow Vitrine's code: checked on each
            # visit, by browsers and proxies alike (the original too, or it would be kept a year).
            headers["Cache-Control"] = "no-cache"
            light = self.fonts.light(family, body)
            if light is None:
                keep = False  # the original this time: its light version is being made
            else:
                body = light
                headers["ETag"] = f'"{hashlib.sha256(light).hexdigest()[:32]}"'
        compressible = headers.get("content-type", "").split(";")[0] in COMPRESSIBLE
        if accepts_gzip and compressible:
            body = _gzipped(key, body)
            headers["Content-Encoding"] = "gzip"
        if compressible:  # one Vary header, each value once, whatever Streamlit's answer said
            varies = [value.strip() for line in headers.getlist("vary") for value in line.split(",") if value.strip()]
            del headers["vary"]
            headers["Vary"] = ", ".join(dict.fromkeys([*varies, "Accept-Encoding"], None))
        headers["Content-Length"] = str(len(body))
        answer = {**start, "headers": headers.raw}
        if keep:
            self.kept[(scope["path"], accepts_gzip)] = (answer, body)
        await send(answer)
        await send({"type": "http.response.body", "body": body})
