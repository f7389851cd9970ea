"""Which IP addresses a fetch may connect to, and how libc reads IP literals.

A URL sent by a stranger must not make the bot talk to its own host, its
private network or a cloud metadata service. ``is_public_address`` is the one
place that decides; the fetch backend applies it to every address it is about
to connect to (IP literals and whatever DNS returns alike).
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

IPAddress = IPv4Address | IPv6Address

# IANA special-purpose IPv4 blocks that are not reachable on the public internet.
_NON_PUBLIC_V4: tuple[IPv4Network, ...] = tuple(
    IPv4Network(block)
    for block in (
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches the local host on Linux
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local, incl. cloud metadata 169.254.169.254
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation (TEST-NET-1)
        "192.88.99.0/24",  # deprecated 6to4 relay anycast
        "192.168.0.0/16",  # private
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation (TEST-NET-2)
        "203.0.113.0/24",  # documentation (TEST-NET-3)
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, incl. broadcast 255.255.255.255
    )
)

# Public IPv6 unicast lives in 2000::/3; everything outside it (::1, ::, fe80::/10,
# fec0::/10, fc00::/7, ff00::/8, 100::/64, deprecated IPv4-compatible ::/96, …) is refused,
# except the IPv4 embeddings unwrapped below. These are the special blocks inside 2000::/3.
_GLOBAL_UNICAST_V6 = IPv6Network("2000::/3")
_NON_PUBLIC_V6: tuple[IPv6Network, ...] = tuple(
    IPv6Network(block)
    for block in (
        "2001::/23",  # IETF protocol assignments (benchmarking, ORCHID, …)
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation
    )
)
_NAT64_WELL_KNOWN = IPv6Network("64:ff9b::/96")


def is_public_address(ip: IPAddress) -> bool:
    """True when ``ip`` is a globally reachable unicast address the bot may connect to.

    IPv6 addresses that embed an IPv4 address (IPv4-mapped, NAT64, 6to4, Teredo)
    are judged by the IPv4 addresses they lead to.
    """
    if isinstance(ip, IPv4Address):
        return not any(ip in block for block in _NON_PUBLIC_V4)
    embedded = embedded_ipv4(ip)
    if embedded:
        return all(is_public_address(v4) for v4 in embedded)
    if ip not in _GLOBAL_UNICAST_V6:
        return False
    return not any(ip in block for block in _NON_PUBLIC_V6)


def embedded_ipv4(ip: IPv6Address) -> tuple[IPv4Address, ...]:
    """IPv4 addresses a connection to ``ip`` would end up at, if it is a transition form."""
    if ip.ipv4_mapped is not None:
        return (ip.ipv4_mapped,)
    if ip in _NAT64_WELL_KNOWN:
        return (IPv4Address(int(ip) & 0xFFFF_FFFF),)
    if ip.sixtofour is not None:
        return (ip.sixtofour,)
    if ip.teredo is not None:
        server, client = ip.teredo
        return (server, client)
    return ()


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address ``host`` denotes when it is an IP literal in any form libc accepts, else None.

    Besides dotted quads this covers what ``inet_aton`` reads: ``2130706433``,
    ``0x7f000001``, ``0177.0.0.1``, ``127.1``; and IPv6 with or without brackets
    (``[::1]``, ``::ffff:127.0.0.1``, ``fe80::1%25eth0``). A trailing dot is ignored.
    """
    text = host.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if ":" in text:
        try:
            return IPv6Address(text.replace("%25", "%"))
        except ValueError:
            return None
    return _parse_inet_aton(text.removesuffix("."))


def is_localhost_name(host: str) -> bool:
    """``localhost`` and ``*.localhost`` (RFC 6761) always mean this machine; never resolve them."""
    name = host.strip().lower().removesuffix(".")
    return name == "localhost" or name.endswith(".localhost")


def _parse_inet_aton(text: str) -> IPv4Address | None:
    """IPv4 in the classic BSD/glibc ``inet_aton`` syntax: 1-4 parts, decimal, 0x hex or 0 octal.

    The last part fills the remaining bytes: ``127.1`` is 127.0.0.1, ``2130706433`` too.
    """
    parts = text.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    values: list[int] = []
    for part in parts:
        value = _parse_inet_number(part)
        if value is None:
            return None
        values.append(value)
    *leading, last = values
    if any(v > 0xFF for v in leading) or last >= 1 << (8 * (4 - len(leading))):
        return None
    number = last
    for index, value in enumerate(leading):
        number |= value << (8 * (3 - index))
    return IPv4Address(number)


def _parse_inet_number(part: str) -> int | None:
    lowered = part.lower()
    if lowered.startswith("0x"):
        digits, base = lowered[2:], 16
        allowed = "0123456789abcdef"
    elif len(lowered) > 1 and lowered.startswith("0"):
        digits, base = lowered[1:], 8
        allowed = "01234567"
    else:
        digits, base = lowered, 10
        allowed = "0123456789"
    # Over 32 digits cannot be a 32-bit number even with leading zeros (and int() of
    # very long strings is slow). Anything refused here is treated as a host name, whose
    # resolved addresses are checked too, so leaning towards "not a literal" is safe.
    if not digits or len(digits) > 32 or any(c not in allowed for c in digits):
        return None
    return int(digits, base)
