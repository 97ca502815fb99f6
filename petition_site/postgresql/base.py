"""Django's PostgreSQL backend, with a bound on how long a connection waits for an answer.

PostgreSQL cancels a statement at its own statement timeout, but a server that is frozen
(SIGSTOP, a paused VM) enforces nothing, and its kernel still acknowledges every packet: the
client would wait for ever, until gunicorn kills the worker. So each wait for an answer
(query, fetch, commit, Django's health check) gives up after OPTIONS["answer_timeout"]
seconds (None: no bound), which settings.py puts a second past the statement timeout so that
the server's own cancel normally comes first. The connection is then closed, since nobody
knows what state it is in, and the error is an OperationalError: the request gets the 503
page and the next one opens a new connection.
"""

import psycopg
from django.db.backends.postgresql import base

# psycopg's own exception for a wait past its timeout (psycopg 3.3, pinned below 3.4 in
# pyproject.toml): named here so that a psycopg without it fails at start, not per query.
WaitTimeout = psycopg.errors._WaitTimeout


class BoundedConnection(psycopg.Connection):
    answer_timeout: float | None = None

    def wait(self, *args, timeout=None, **kwargs):
        if timeout is not None or self.answer_timeout is None:
            # A caller that gives its own timeout handles it (the site listens for no
            # notifications, the one wait that may rightly last longer than the bound).
            return super().wait(*args, timeout=timeout, **kwargs)
        try:
            return super().wait(*args, timeout=self.answer_timeout, **kwargs)
        except WaitTimeout as timed_out:
            # As psycopg does with a query that outlives its cancellation.
            self.pgconn.finish()
            raise psycopg.OperationalError(
                f"the database did not answer within {self.answer_timeout} s; connection closed"
            ) from timed_out


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        params.pop("answer_timeout", None)  # ours, not libpq's
        return params

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        # Django opens a plain psycopg.Connection (psycopg.connect()); short of copying this
        # method, giving it the subclass is the way in. The subclass adds no state but the bound.
        connection.__class__ = BoundedConnection
        connection.answer_timeout = self.settings_dict["OPTIONS"].get("answer_timeout")
        return connection
