"""The whole app in one process: Streamlit's pages (app.py) and Vitrine's own web addresses.

Started with `streamlit run directory/ui/server.py` (Streamlit finds `app` below), or by any
ASGI server (`uvicorn directory.ui.server:app`).
"""

import asyncio.base_events
import socket
from contextlib import asynccontextmanager

from streamlit import App, config
from streamlit.runtime.pages_manager import PagesManager

from directory import startup, web
from directory.db import PROJECT_ROOT


@asynccontextmanager
async def lifespan(_app):
    # With a `pages/` folder beside app.py, Streamlit runs a process's first script run in its
    # old multipage mode until some run has called st.navigation: the first visitor opening a
    # deep link (/agenda, a private /suivi link) got "Page not found". app.py always calls
    # st.navigation, so the flag can be settled before the first session starts.
    PagesManager.uses_pages_directory = False
    yield


BASE_PATH = config.get_option("server.baseUrlPath")
app = App(PROJECT_ROOT / "app.py", lifespan=lifespan, routes=web.routes(startup.app_engine, base_path=BASE_PATH),
          middleware=web.middleware(base_path=BASE_PATH), exception_handlers=web.exception_handlers)



def _set_nodelay(sock: socket.socket) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


# Streamlit 1.67 binds its listening socket without naming the TCP protocol (proto 0), and
# asyncio turns Nagle's algorithm off only on sockets whose proto says TCP: every small answer
# or websocket message sent after another then waited for the client's delayed ACK (~40 ms per
# request on a kept-alive connection, measured). asyncio's own rule, without the proto test:
asyncio.base_events._set_nodelay = _set_nodelay
