from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address

import pytest

from bot.articles.addresses import is_localhost_name, is_public_address, parse_ip_literal

LOOPBACK = IPv4Address("127.0.0.1")


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1", False),
        ("127.1", False),
        ("2130706433", False),
        ("0x7f000001", False),
        ("0177.0.0.1", False),
        ("127.0.0.1.", False),
        ("10.0.0.1", False),
        ("10.255.255.255", False),
        ("172.16.0.1", False),
        ("172.31.255.254", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("0", False),
        ("224.0.0.1", False),
        ("255.255.255.255", False),
        ("240.0.0.1", False),
        ("198.18.0.1", False),
        ("192.0.2.1", False),
        ("203.0.113.9", False),
        ("::1", False),
        ("[::1]", False),
        ("::", False),
        ("fe80::1", False),
        ("fe80::1%25eth0", False),
        ("fec0::1", False),
        ("fc00::1", False),
        ("fd12:3456::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("[::ffff:127.0.0.1]", False),
        ("::ffff:10.0.0.1", False),
        ("::127.0.0.1", False),  # deprecated IPv4-compatible form
        ("64:ff9b::7f00:1", False),
        ("64:ff9b::a00:1", False),
        ("2002:7f00:1::", False),
        ("2002:a9fe:a9fe::1", False),  # 6to4 of 169.254.169.254
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),  # Teredo, client 127.0.0.1
        ("2001:db8::1", False),
        ("8.8.8.8", True),
        ("1.1.1.1", True),
        ("2606:4700:4700::1111", True),
        ("::ffff:8.8.8.8", True),
        ("64:ff9b::808:808", True),  # NAT64 of 8.8.8.8, as DNS64 resolvers answer
        ("2002:808:808::1", True),
    ],
)
def test_address_table(host: str, allowed: bool) -> None:
    address = parse_ip_literal(host)
    assert address is not None
    assert is_public_address(address) is allowed


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.1",
        "127.0.1",
        "2130706433",
        "0x7f000001",
        "0X7F.1",
        "0177.0.0.1",
        "017700000001",
    ],
)
def test_libc_ipv4_forms_all_mean_loopback(host: str) -> None:
    assert parse_ip_literal(host) == LOOPBACK


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("[::1]", IPv6Address("::1")),
        ("[::ffff:127.0.0.1]", IPv6Address("::ffff:127.0.0.1")),
        ("1.2.3.4.", IPv4Address("1.2.3.4")),
        ("0xc0.0xa8.1", IPv4Address("192.168.0.1")),
    ],
)
def test_other_literal_forms(host: str, expected: IPv4Address | IPv6Address) -> None:
    assert parse_ip_literal(host) == expected


@pytest.mark.parametrize(
    "host",
    [
        "example.com",
        "localhost",
        "1.2.3.4.5",
        "256.1.1.1",
        "4294967296",
        "08.0.0.1",
        "0x",
        "1..2",
        "",
    ],
)
def test_names_and_impossible_numbers_are_not_literals(host: str) -> None:
    assert parse_ip_literal(host) is None


def test_scoped_ipv6_literal_keeps_its_address() -> None:
    address = parse_ip_literal("fe80::1%25eth0")
    assert address is not None
    assert ip_address(str(address).split("%")[0]) == IPv6Address("fe80::1")


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("localhost", True),
        ("LOCALHOST.", True),
        ("foo.localhost", True),
        ("a.b.localhost.", True),
        ("localhost.example.com", False),
        ("notlocalhost", False),
    ],
)
def test_localhost_names(host: str, local: bool) -> None:
    assert is_localhost_name(host) is local
