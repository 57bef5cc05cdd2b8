"""Who is asking: the client's address, one rule for the pages and the routes.

The address is the connection's, unless the connection comes from a proxy the deployment trusts
(`VITRINE_TRUSTED_PROXIES`, CIDR list, none by default): then the right-most hop of
`X-Forwarded-For` that is not one of those proxies. Without a trusted proxy a forwarded address is
never believed: a client cannot pick a new address per try.

The server in front (uvicorn, in `streamlit run` and `uvicorn app:app`) already replaces a
loopback connection's address by the forwarded one, and Streamlit reports a loopback connection as
no address: both are seen here as a connection from this machine. An address that stays unknown is
"" — limits then count per account or per listing, never in one bucket shared by every client.
"""

from __future__ import annotations

import ipaddress
from ipaddress import IPv4Address, IPv6Address

from directory import settings

UNKNOWN = ""
_LOOPBACK = ipaddress.ip_address("127.0.0.1")

Address = IPv4Address | IPv6Address


def client_address(reported: str | None, forwarded_for: str | None) -> str:
    """The client's address from what the server reports for the connection and the request's
    `X-Forwarded-For`; UNKNOWN when it cannot be told."""
    hops = [hop for hop in (_parsed(text) for text in (forwarded_for or "").split(",")) if hop is not None]
    peer = _parsed(reported)
    # uvicorn's pick for a loopback connection: the right-most hop that is not loopback.
    replaced_by = next((hop for hop in reversed(hops) if not hop.is_loopback), None)
    if reported is None or (peer is not None and peer == replaced_by):
        peer = _LOOPBACK  # hidden by Streamlit or replaced by uvicorn: the connection is this machine's
    if peer is None:
        return UNKNOWN
    proxies = settings.trusted_proxies()
    if not any(peer in network for network in proxies):
        return UNKNOWN if peer.is_loopback else str(peer)
    for hop in reversed(hops):
        if not any(hop in network for network in proxies):
            return str(hop)
    return UNKNOWN  # only trusted proxies named: the client is not said


def _parsed(text: str | None) -> Address | None:
    try:
        address = ipaddress.ip_address((text or "").strip().split("%")[0])
    except ValueError:
        return None
    # An IPv4 client of a dual-stack server reads "::ffff:192.0.2.1": one client, one address.
    return getattr(address, "ipv4_mapped", None) or address
