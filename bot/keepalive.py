"""``KeepAliveWebClient``: slack_sdk's ``WebClient`` over one persistent connection per thread.

slack_sdk's client sends each call with ``urllib.request.urlopen``, which asks the server to
close the connection after answering (``Connection: close``): every call opens a new TCP
connection, and against slack.com a new TLS handshake. The dispatcher sends thousands of
messages a run, so this client keeps a connection open (HTTP/1.1 keep-alive) per thread and
per host, and reuses it for the next call from that thread. A connection is never shared
between threads.

slack_sdk has no supported hook for the transport, so this overrides the one method that does
the network exchange (``_perform_urllib_http_request_internal``) and keeps everything around
it: the retry handlers, the headers, the timeout, the SSL context, the response parsing and the
errors. What it raises is what urllib would raise, so slack_sdk's own handling is unchanged: an
error while sending is a ``URLError``, a connection closed before the answer a
``RemoteDisconnected``, and an answer outside 2xx an ``HTTPError`` carrying its status, headers
and body (slack_sdk turns that into the response that ``SlackApiError`` and its
``RateLimitErrorRetryHandler`` read). With a proxy, or for a redirect, the call goes through
urllib as before.

A connection the server closed while it was idle is noticed before it is used (it reads as
ready: end of file) and replaced, so no call is sent into a closed connection.
"""

from __future__ import annotations

import io
import logging
import select
import threading
from http.client import HTTPConnection, HTTPResponse, HTTPSConnection
from ssl import SSLContext
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request

from slack_sdk import WebClient

_REDIRECTS = frozenset({301, 302, 303, 307, 308})  # urllib follows these: let it
_Key = tuple[str, str, int, SSLContext | None]


class _Connections:
    """One thread's open connections, by host; closed when the thread or the client goes."""

    def __init__(self) -> None:
        self.by_host: dict[_Key, HTTPConnection] = {}

    def __del__(self) -> None:
        for connection in self.by_host.values():
            connection.close()


class KeepAliveWebClient(WebClient):
    """``slack_sdk.WebClient`` that reuses one HTTP connection per thread and host."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._threads = threading.local()

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        parts = urlsplit(url)
        if self.proxy is not None or parts.scheme.lower() not in ("http", "https"):
            return super()._perform_urllib_http_request_internal(url, req)
        scheme = parts.scheme.lower()
        port = parts.port or (443 if scheme == "https" else 80)
        response, body = self._exchange((scheme, parts.hostname or "", port, self.ssl), req)
        if response.status in _REDIRECTS:
            return super()._perform_urllib_http_request_internal(url, req)
        if not 200 <= response.status < 300:
            raise HTTPError(
                req.full_url, response.status, response.reason, response.headers, io.BytesIO(body)
            )
        if response.headers.get_content_type() == "application/gzip":
            return {"status": response.status, "headers": response.headers, "body": body}
        text = body.decode(response.headers.get_content_charset() or "utf-8")
        if self._logger.level <= logging.DEBUG:
            self._logger.debug(
                "Received the following response - "
                f"status: {response.status}, headers: {dict(response.headers)}, body: {text}"
            )
        return {"status": response.status, "headers": response.headers, "body": text}

    def _exchange(self, key: _Key, req: Request) -> tuple[HTTPResponse, bytes]:
        """Send ``req`` on this thread's connection to ``key``'s host; the response, read whole."""
        connection = self._connection(key)
        # urllib's own header handling, less its "Connection: close".
        headers = {name.title(): value for name, value in req.header_items()}
        try:
            connection.request(req.get_method(), req.selector, req.data, headers)
        except OSError as err:  # as urllib reports a failure to send
            self._drop(key)
            raise URLError(err) from err
        try:
            response = connection.getresponse()
            body = response.read()
        except BaseException:
            self._drop(key)
            raise
        if response.will_close:
            self._drop(key)
        return response, body

    def _connection(self, key: _Key) -> HTTPConnection:
        """This thread's open connection to ``key``'s host; a new one if it has none alive."""
        pool: _Connections | None = getattr(self._threads, "pool", None)
        if pool is None:
            pool = self._threads.pool = _Connections()
        connection = pool.by_host.get(key)
        if connection is not None and not _usable(connection):
            connection.close()
            connection = None
        if connection is None:
            scheme, host, port, context = key
            if scheme == "https":
                connection = HTTPSConnection(host, port, timeout=self.timeout, context=context)
            else:
                connection = HTTPConnection(host, port, timeout=self.timeout)
            pool.by_host[key] = connection
        elif connection.sock is not None:
            connection.sock.settimeout(self.timeout)
        connection.timeout = self.timeout
        return connection

    def _drop(self, key: _Key) -> None:
        pool: _Connections | None = getattr(self._threads, "pool", None)
        connection = pool.by_host.pop(key, None) if pool is not None else None
        if connection is not None:
            connection.close()


def _usable(connection: HTTPConnection) -> bool:
    """Whether an idle connection is still open: a closed one reads as ready (end of file)."""
    sock = connection.sock
    if sock is None:
        return True  # not connected yet: it connects on the next request
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable
