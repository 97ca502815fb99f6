"""`manage.py db_worker`: django-tasks-db's worker, with a heartbeat and a way back.

On top of the library's worker, this one
- beats a heartbeat from a thread of its own, while it waits and while a task runs, and
  requeues the tasks of workers that stopped beating (worker.recovery);
- outlives a database outage: when its connection fails it closes it, waits (1 s, doubling up
  to 30 s) and carries on under a new worker id, so that a task it was running when the
  connection broke counts as lost and runs again. A process that dies anyway is restarted
  by its supervisor (compose.yaml: `restart: unless-stopped`).
"""

import contextlib
import logging
import threading
import time
from unittest import mock

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands import db_worker

from worker import recovery

logger = logging.getLogger("worker")

_DATABASE_ERRORS = (OperationalError, InterfaceError)
MAX_PAUSE = 30


class Worker(db_worker.Worker):
    def run(self):
        heart = _Heart(self)
        heart.start()
        pause = 1
        try:
            while True:
                started = time.monotonic()
                try:
                    # Beat before claiming anything, so no other worker takes this one's first
                    # task for lost.
                    recovery.beat(self.worker_id)
                    return super().run()
                except _DATABASE_ERRORS:
                    if time.monotonic() - started > MAX_PAUSE:
                        pause = 1  # a new outage, not the same one still going on
                    logger.exception(
                        "worker_database_lost worker=%s pause=%ss", self.worker_id, pause
                    )
                connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE)
                # The task it was running, if any, is left RUNNING under the old id, which
                # no longer beats: another worker's heartbeat (or this one's) requeues it.
                self.worker_id = get_random_string(32)
        finally:
            heart.stop()
            with contextlib.suppress(_DATABASE_ERRORS):
                recovery.stop(self.worker_id)


class _Heart(threading.Thread):
    """Beats for the worker and requeues lost tasks, on a database connection of its own."""

    def __init__(self, worker):
        super().__init__(name="heartbeat", daemon=True)
        self.worker = worker
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(settings.WORKER_HEARTBEAT):
            try:
                recovery.beat(self.worker.worker_id)
                recovery.requeue_lost()
            # Whatever went wrong, the heart must go on beating: a worker that stops beating
            # has its running task run a second time elsewhere.
            except Exception:
                logger.exception("worker_heartbeat_failed worker=%s", self.worker.worker_id)
                connection.close()
        connection.close()

    def stop(self):
        self.stopped.set()
        self.join(timeout=settings.WORKER_HEARTBEAT + 5)


class Command(db_worker.Command):
    help = (
        "Run a database background worker that beats a heartbeat, requeues the tasks of "
        "workers that died, and outlives database outages"
    )

    def handle(self, *args, **options):
        # The library's command builds its Worker by name from its own module; this swaps it
        # for the duration of the command only.
        with mock.patch.object(db_worker, "Worker", Worker):
            super().handle(*args, **options)
