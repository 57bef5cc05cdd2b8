"""Who is asking: the client's address, one rule for the pages and the routes.

The address is the connection's, unless the connection comes from a proxy the deployment trusts
(`VITRINE_TRUSTED_PROXIES`, CIDR list, none by default): then the right-most hop of
`X-Forwarded-For` that is not one of those proxies. Without a trusted proxy a forwarded address is
never believed: a client cannot pick a new address per try.

The server in front (uvicorn, in `streamlit run` and `uvicorn app:app`) believes the forwarded
address of a connection from this machine only (its FORWARDED_ALLOW_IPS, loopback by default:
the documented nginx on the same host) and reports it as the connection's; a client connecting
directly is reported as itself, whatever it forwards. Streamlit reports a loopback connection as no
address: a connection from this machine. An address that stays unknown is "" — limits then count
per account or per listing, never in one bucket shared by every client.
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
    peer = _LOOPBACK if reported is None else _parsed(reported)  # None: hidden by Streamlit
    if peer is None:
        return UNKNOWN
    proxies = settings.trusted_proxies()
    if not any(peer in network for network in proxies):
        return UNKNOWN if peer.is_loopback else str(peer)
    if peer in hops:  # uvicorn reported a hop: the hops to its right are this machine's
        hops = hops[:len(hops) - hops[::-1].index(peer) - 1]
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
