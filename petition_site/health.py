"""Liveness and readiness probes for load balancers and container platforms.

They are answered by the first middleware, before host validation and the HTTPS redirect,
because a probe reaches the container by its internal address over plain HTTP.
"""

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse


def _ready():
    try:
        executor = MigrationExecutor(connection)
        return not executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return False


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return HttpResponse("ok", content_type="text/plain")
        if request.path == "/readyz":
            if _ready():
                return HttpResponse("ready", content_type="text/plain")
            return HttpResponse("not ready", content_type="text/plain", status=503)
        return self.get_response(request)
