"""Vitrine's own web addresses, served beside the Streamlit pages by the same process.

Every address reuses the package's domain functions (the same filters, exports and queries as
the pages); HTML comes from Jinja2 templates with autoescaping. Nothing here imports Streamlit:
`app.py` mounts these routes in Streamlit's `st.App`.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import Engine
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.convertors import Convertor, register_url_convertor
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route

from directory.addresses import ROUTES
from directory.db import DatabaseUnavailable
from directory.validation import Invalid
from directory.web.frontend import FrontEndFiles
from directory.web.http import refuse, render, unavailable
from directory.web.opendata import OpenData
from directory.web.programme import ProgrammePages
from directory.web.public import PublicPages
from directory.web.security import KnownHosts, SecurityHeaders
from directory.web.staff import StaffSessions


class RowId(Convertor):
    """A row number as the database can hold it: longer digit strings are simply not found."""

    regex = "[0-9]{1,9}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("row_id", RowId())


def routes(engine: Callable[[], Engine], *, base_path: str = "") -> list[BaseRoute]:
    """Every address, under the server's path prefix (`server.baseUrlPath`) when it has one.

    Each route carries the prefix itself: a Mount would also claim Streamlit's own paths under it.
    """
    prefix = f"/{base_path.strip('/')}" if base_path.strip("/") else ""
    data, pages = OpenData(engine, prefix=prefix), PublicPages(engine, prefix=prefix)
    sessions = StaffSessions(engine, prefix=prefix)
    agenda = ProgrammePages(engine, prefix=prefix)
    endpoints = {
        # Before the session's page, whose slug would take ".ics" in too.
        "session_calendar": agenda.session_calendar, "session_page": agenda.session,
        "programme_feed": agenda.feed, "programme_data": agenda.data, "programme_schema": agenda.schema,
        "health": pages.health, "robots": pages.robots, "sitemap": pages.sitemap, "calendar_feed": data.calendar,
        "open_data": data.partners, "open_data_schema": data.schema,
        "mediation_places": data.mediation_places, "catalogue": data.catalogue,
        "map_rows": data.map_rows, "partner_page": pages.partner,
        "partner_image": pages.partner_image, "partner_logo": pages.partner_logo, "showcase_page": pages.showcase,
        "showcase_calendar": data.showcase_calendar, "embed": pages.embed, "staff_session": sessions.session,
        "sign_out": sessions.sign_out,
    }
    return [Route(prefix + ROUTES[name], endpoint, name=name) for name, endpoint in endpoints.items()]


def middleware(*, base_path: str = "") -> list[Middleware]:
    prefix = f"/{base_path.strip('/')}" if base_path.strip("/") else ""
    health_checks = {prefix + ROUTES["health"], prefix + "/_stcore/health"}
    return [Middleware(SecurityHeaders), Middleware(KnownHosts, health_paths=health_checks),
            Middleware(FrontEndFiles, base_path=base_path)]
# While the database is unreachable every address says so (503), with the security headers:
# SQLAlchemy's errors of a lost connection, and the package's own DatabaseUnavailable.
exception_handlers = {Invalid: refuse, DatabaseUnavailable: unavailable, OperationalError: unavailable,
                      InterfaceError: unavailable}

__all__ = ["exception_handlers", "middleware", "render", "routes"]
