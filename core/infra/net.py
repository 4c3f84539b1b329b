"""Who is calling: the client address behind trusted proxies, and whether it is in allowed networks.

`X-Forwarded-For` is believed only when the direct peer is one of our own proxies; then the client is
the right-most address in it that is not a proxy of ours (anything further left could be written by the
client itself). Anything unparsable is "unknown" and never trusted.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from functools import lru_cache

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=64)
def networks(cidrs: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


def parse_address(text: str | None) -> Address | None:
    if not text:
        return None
    try:
        address = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket (::ffff:a.b.c.d) is that IPv4 client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def in_networks(address: Address | None, allowed: Iterable[Network]) -> bool:
    return address is not None and any(address.version == net.version and address in net for net in allowed)


def client_address(peer: str | None, forwarded_for: Sequence[str], proxies: Iterable[Network]) -> Address | None:
    """The client's address: the peer's, or — when the peer is a trusted proxy — the right-most
    `X-Forwarded-For` entry (over all such headers, in order) not itself a trusted proxy."""
    proxies = tuple(proxies)
    address = parse_address(peer)
    if not in_networks(address, proxies):
        return address
    hops = [hop for header in forwarded_for for hop in header.split(",")]
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            return None
        if not in_networks(address, proxies):
            return address
    return address
