"""Vitrine in one process: Streamlit's pages and Vitrine's own web addresses.

    streamlit run app.py      # what a Streamlit user types; Streamlit finds `app` below
    uvicorn app:app           # any ASGI server

The navigation script every visitor runs is `directory/ui/navigation.py`; the pages are in `pages/`.
"""

import asyncio.base_events
import socket

from streamlit import App, config

from directory import startup, web
from directory.ui import NAVIGATION_SCRIPT

# The map's Leaflet and the page script are served from directory/ui/static/: without static
# serving the map is blank, so it is on wherever the app runs from (not only beside .streamlit/).
config.set_option("server.enableStaticServing", True, "app.py")
BASE_PATH = config.get_option("server.baseUrlPath")
app = App(NAVIGATION_SCRIPT, routes=web.routes(startup.app_engine, base_path=BASE_PATH),
          middleware=web.middleware(base_path=BASE_PATH), exception_handlers=web.exception_handlers)


def _set_nodelay(sock: socket.socket) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


# Streamlit 1.67 binds its listening socket without naming the TCP protocol (proto 0), and
# asyncio turns Nagle's algorithm off only on sockets whose proto says TCP: every small answer
# or websocket message sent after another then waited for the client's delayed ACK (~40 ms per
# request on a kept-alive connection, measured). asyncio's own rule, without the proto test
# (tests/web/test_entry.py fails if asyncio stops calling it):
asyncio.base_events._set_nodelay = _set_nodelay
