"""Fetching one URL for ingest: public addresses only, and an overall deadline.

A URL given to ``flashpoint ingest`` must not become a way into the machine's own network
(a cloud metadata service at 169.254.169.254, a database on 127.0.0.1, a router on
192.168.1.1). So every connection — the first request and every redirect — resolves the
host name first and connects only if *every* address it resolves to is a public one:
loopback, private, link-local, multicast, reserved, unspecified and other non-global
addresses are refused. The check runs on the resolved addresses, so spellings such as
``0x7f000001``, ``2130706433`` or a DNS name pointing at 127.0.0.1 are caught too, and the
socket connects to the very address that was checked (no second lookup to rebind).
``allow_private=True`` (``--allow-private-urls``) turns the check off for intranet use.

Behind an HTTP(S) proxy the proxy makes the connection; the target's name is then checked
by resolving it here before the request goes out.

The per-read ``timeout`` alone does not bound a fetch: a server that sends one byte every
few seconds never lets a read time out. A watchdog closes the connection when the overall
``deadline`` passes, and the fetch is refused as too slow.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


class AddressRefused(OSError):
    """The URL's host resolves to an address ingest does not fetch from."""


class DeadlinePassed(OSError):
    """The whole fetch took longer than its deadline."""


_NON_PUBLIC: tuple[tuple[str, str], ...] = (
    ("is_unspecified", "an unspecified"),
    ("is_loopback", "a loopback"),
    ("is_link_local", "a link-local"),
    ("is_multicast", "a multicast"),
    ("is_private", "a private"),
    ("is_reserved", "a reserved"),
)


def address_problem(address: str) -> str | None:
    """Why ingest must not connect to this IP address, or None for a public one."""
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(
        address.split("%", 1)[0]
    )
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            problem = address_problem(str(embedded))
            if problem:
                return f"{ip} embeds {problem}"
    for test, label in _NON_PUBLIC:
        if getattr(ip, test):
            return f"{ip} is {label} address"
    if not ip.is_global:
        return f"{ip} is not a public address"
    return None


def check_host(host: str, port: int | None = None) -> list[tuple[Any, ...]]:
    """getaddrinfo for host, refusing it (AddressRefused) if any address is not public."""
    try:
        infos = socket.getaddrinfo(host, port or 0, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise OSError(f"cannot resolve {host!r}: {error.strerror or error}") from None
    for info in infos:
        problem = address_problem(str(info[4][0]))
        if problem:
            raise AddressRefused(
                f"refused: {host} resolves to {problem} "
                "(pass --allow-private-urls to fetch from internal addresses)"
            )
    return infos


@dataclass(frozen=True, slots=True)
class FetchResult:
    data: bytes
    final_url: str
    content_type: str | None
    charset: str | None


class _Fetch:
    """One fetch: the sockets it opened (so the watchdog can close them) and its rules."""

    def __init__(self, *, allow_private: bool, timeout: float, deadline: float) -> None:
        self.allow_private = allow_private
        self.timeout = timeout
        self.ends_at = time.monotonic() + deadline
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def remaining(self) -> float:
        return self.ends_at - time.monotonic()

    def create_connection(
        self, address: tuple[str, int], timeout: Any = None, source_address: Any = None
    ) -> socket.socket:
        host, port = address
        if self.allow_private:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        else:
            infos = check_host(host, port)
        error: OSError | None = None
        for family, kind, proto, _name, sockaddr in infos:
            sock = socket.socket(family, kind, proto)
            with self._lock:
                if self.expired:
                    sock.close()
                    raise DeadlinePassed("deadline passed")
                self._sockets.append(sock)
            try:
                sock.settimeout(max(0.01, min(self.timeout, self.remaining())))
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)  # the address that was checked, not a new lookup
                return sock
            except OSError as failed:
                error = failed
                sock.close()
        raise error or OSError(f"cannot connect to {host}")

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def connection_class(self, base: type[http.client.HTTPConnection], *, checked: bool) -> Any:
        fetch = self

        class GuardedConnection(base):  # type: ignore[valid-type,misc]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                if checked:
                    self._create_connection = fetch.create_connection

        return GuardedConnection


def _handlers(fetch: _Fetch) -> list[Any]:
    def open_with(
        handler: urllib.request.AbstractHTTPHandler,
        base: type[http.client.HTTPConnection],
        request: urllib.request.Request,
        **kwargs: Any,
    ) -> Any:
        proxied = request.has_proxy() or bool(getattr(request, "_tunnel_host", None))
        if proxied and not fetch.allow_private:
            host = urlsplit(request.full_url).hostname or ""
            check_host(host)
        connection = fetch.connection_class(base, checked=not proxied)
        return handler.do_open(connection, request, **kwargs)

    class GuardedHTTP(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> Any:
            return open_with(self, http.client.HTTPConnection, req)

    class GuardedHTTPS(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> Any:
            return open_with(
                self,
                http.client.HTTPSConnection,
                req,
                context=self._context,  # type: ignore[attr-defined]
            )

    # Only http(s): a redirect to ftp:, file: or data: finds no handler and fails.
    return [
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        GuardedHTTP(),
        GuardedHTTPS(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
    ]


def fetch_url(
    url: str,
    *,
    headers: dict[str, str],
    max_bytes: int,
    timeout: float,
    deadline: float,
    allow_private: bool = False,
) -> FetchResult:
    """GET url (following redirects) under the rules in the module docstring.

    Raises AddressRefused, DeadlinePassed, urllib.error.HTTPError / URLError, OSError or
    http.client.HTTPException; the body is cut at max_bytes + 1 so the caller can tell.
    """
    fetch = _Fetch(allow_private=allow_private, timeout=timeout, deadline=deadline)
    opener = urllib.request.OpenerDirector()
    for handler in _handlers(fetch):
        opener.add_handler(handler)
    watchdog = threading.Timer(deadline, fetch.expire)
    watchdog.daemon = True
    watchdog.start()
    try:
        request = urllib.request.Request(url, headers=headers)
        with opener.open(request, timeout=timeout) as response:
            chunks: list[bytes] = []
            size = 0
            while size <= max_bytes:
                chunk = response.read(min(1 << 16, max_bytes + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            if fetch.expired:
                raise DeadlinePassed("deadline passed")
            return FetchResult(
                data=b"".join(chunks),
                final_url=response.geturl(),
                content_type=response.headers.get_content_type(),
                charset=response.headers.get_content_charset(),
            )
    except (OSError, http.client.HTTPException, ValueError) as error:
        if fetch.expired and not isinstance(error, urllib.error.HTTPError):
            raise DeadlinePassed(
                f"no complete response within {deadline:g} s (the overall deadline per URL)"
            ) from None
        reason = getattr(error, "reason", None)
        if isinstance(error, urllib.error.URLError) and isinstance(reason, AddressRefused):
            raise reason from None
        raise
    finally:
        watchdog.cancel()
        fetch.expire()  # closes whatever is still open
