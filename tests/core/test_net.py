"""core.infra.net: the client behind trusted proxies, and the allowed networks."""

from __future__ import annotations

import ipaddress

from hypothesis import given
from hypothesis import strategies as st

from core.gateways.yookassa_sdk import published_network
from core.infra.net import client_address, in_networks, networks, parse_address

PROXY = networks(("10.0.0.0/8",))
YOOKASSA = networks(("185.71.76.0/27",))  # one of YooKassa's networks, configured by hand


def test_yookassas_published_networks_as_the_sdk_lists_them() -> None:
    for inside in (
        "185.71.76.1",
        "185.71.77.31",
        "77.75.153.127",
        "77.75.156.11",
        "77.75.156.35",
        "77.75.154.200",
        "2a02:5180:0:1509::1",
    ):
        assert published_network(inside), inside
    for outside in ("185.71.76.32", "77.75.156.12", "8.8.8.8", "127.0.0.1", "2a02:5181::1", "::1"):
        assert not published_network(outside), outside


def test_forwarded_for_is_believed_only_from_our_proxies() -> None:
    assert client_address("203.0.113.9", ["185.71.76.1"], PROXY) == ipaddress.ip_address("203.0.113.9")
    assert client_address("10.1.2.3", ["185.71.76.1"], PROXY) == ipaddress.ip_address("185.71.76.1")
    # The client may write anything on the left; the right-most address not ours is what our proxy saw.
    assert client_address("10.1.2.3", ["185.71.76.1, 203.0.113.9"], PROXY) == ipaddress.ip_address("203.0.113.9")
    assert client_address("10.1.2.3", ["203.0.113.9", "185.71.76.1, 10.9.9.9"], PROXY) == ipaddress.ip_address(
        "185.71.76.1"
    )
    assert client_address("10.1.2.3", ["garbage"], PROXY) is None
    assert client_address("10.1.2.3", [], PROXY) == ipaddress.ip_address("10.1.2.3")


def test_ipv4_mapped_ipv6_is_the_ipv4_client() -> None:
    assert in_networks(parse_address("::ffff:185.71.76.1"), YOOKASSA)
    assert published_network(str(parse_address("::ffff:185.71.76.1")))


@given(st.text(max_size=60), st.lists(st.text(max_size=60), max_size=3))
def test_any_input_gives_an_address_or_none_and_never_raises(peer: str, forwarded: list[str]) -> None:
    found = client_address(peer, forwarded, PROXY)
    assert found is None or isinstance(found, ipaddress.IPv4Address | ipaddress.IPv6Address)
    assert in_networks(found, YOOKASSA) in (True, False)


@given(st.ip_addresses(v=4))
def test_a_direct_peer_is_itself(address) -> None:
    if not in_networks(address, PROXY):
        assert client_address(str(address), ["185.71.76.1"], PROXY) == address
