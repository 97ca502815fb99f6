"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py petition_site.wsgi`.

Every value can be overridden from the environment (GUNICORN_WORKERS, PORT, ...).
"""

import multiprocessing
import os

from gunicorn.glogging import Logger

from petition_site.logs import JsonFormatter

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
# Sync workers: each request is short and mostly waits on PostgreSQL.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Overload is shed by the app, not here: a request that waited in the accept queue (backlog,
# 2048) longer than REQUEST_QUEUE_TIMEOUT is answered 503 at once (petition_site/shedding.py).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, so a slow leak can never take the site down. Measured: a
# worker's memory grows from 69 to 81 MB over its first 2,500 requests (imports, templates,
# translations), then by about 0.1 MB per 1,000 (page, home, JSON, favicon, 12,000
# requests), so recycling is a safety net, not a need. The jitter is half the limit: each
# worker recycles after 10,000 to 15,000 requests, so they leave one at a time (a jitter
# of 10 % once restarted all five within one second, and /healthz waited 4 s).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = max_requests // 2
# Heartbeat files in memory, not on a possibly slow container disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# No control socket shared between instances.
control_socket_disable = True

# The access log records no client address and no query string: signers' IP addresses are
# never written down. Both of gunicorn's logs go through the site's JSON formatter, which cuts
# out link tokens, email and IP addresses (its error log names the client of a bad request).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


class SafeLogger(Logger):
    """gunicorn's logs as one scrubbed JSON object per line, like the site's own, and no
    access lines for the health probes, which a load balancer calls every few seconds."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO") in ("/healthz", "/readyz"):
            return
        super().access(resp, req, environ, request_time)


logger_class = SafeLogger
