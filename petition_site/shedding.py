"""Load shedding: a request that waited too long for a worker is answered 503 at once.

Under overload, gunicorn's sync workers take connections from the kernel's accept queue one
at a time, oldest first; without shedding every request is served in the end, after
everyone ahead of it, so waits grow as long as the overload lasts and workers spend their
time on requests whose clients have given up. With it, a request that has waited longer
than REQUEST_QUEUE_TIMEOUT costs a worker a millisecond, and the ones served wait at most
about that long.

How long a request waited is read from the kernel, which gunicorn's own queue hides: Linux's
TCP_INFO on the client's socket says how long ago its last bytes arrived. For the request a
worker has just read, that is the time it spent in the accept queue (or in gthread's queue),
whatever is in front. A reverse proxy that queues requests itself can add X-Request-Start
(docs/deploy.md); the longer of the two waits counts. A client that has closed its
connection while waiting (TCP state CLOSE_WAIT) gets the same quick 503, which it will not
read: nobody waits for the work.
"""

import math
import socket
import struct
import time

from django.conf import settings

from petition_site.views import service_unavailable

# struct tcp_info (linux/tcp.h): u8 tcpi_state first; u32 tcpi_last_data_recv at byte 52.
_TCP_INFO = getattr(socket, "TCP_INFO", None)
_TCP_INFO_SIZE = 104
_CLOSE_WAIT = 8


def _socket_wait(sock):
    """(seconds since the request's last bytes arrived, whether the client closed), or None
    where the kernel does not say (not Linux, not a TCP socket, not under gunicorn)."""
    if sock is None or _TCP_INFO is None:
        return None
    try:
        info = sock.getsockopt(socket.IPPROTO_TCP, _TCP_INFO, _TCP_INFO_SIZE)
    except (OSError, ValueError):
        return None
    if len(info) < 56:
        return None
    return struct.unpack_from("=I", info, 52)[0] / 1000, info[0] == _CLOSE_WAIT


def _proxy_wait(header):
    """Seconds since a proxy's X-Request-Start: "t=<seconds or milliseconds since the epoch>"
    (nginx's $msec, Heroku's milliseconds); None when absent or unreadable."""
    try:
        started = float(header.removeprefix("t="))
    except ValueError:
        return None
    if not math.isfinite(started):
        return None
    if started > 1e11:  # milliseconds
        started /= 1000
    return time.time() - started


class LoadSheddingMiddleware:
    """Runs after LocaleMiddleware, so the 503 page is in the page's language, and before
    anything that does work: sessions, CSRF, the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bound = settings.REQUEST_QUEUE_TIMEOUT
        if bound:
            waits = [_proxy_wait(request.headers.get("X-Request-Start", ""))]
            measured = _socket_wait(request.META.get("gunicorn.socket"))
            if measured is not None:
                waits.append(measured[0])
                if measured[1]:
                    return service_unavailable(settings.OVERLOAD_RETRY_AFTER)
            if max((wait for wait in waits if wait is not None), default=0) > bound:
                return service_unavailable(settings.OVERLOAD_RETRY_AFTER)
        return self.get_response(request)
