"""Tasks whose worker died run again.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again: a
worker killed mid-task (or cut off from the database) leaves it RUNNING forever. Each worker
therefore beats a heartbeat, and every worker, every few seconds, hands the tasks of workers
that stopped beating back to the queue. The tasks are written to run twice safely: each
email records its sending in the transaction that sends it (signatures.tasks).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import Heartbeat

logger = logging.getLogger(__name__)

RUNNING = "RUNNING"
# A task whose worker died this many times is not tried again: it may be what kills them.
MAX_CLAIMS = 5


def beat(worker_id):
    """Record that this worker is alive now."""
    Heartbeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": timezone.now()})


def stop(worker_id):
    """A worker that leaves says so, and its tasks need not wait for the bound."""
    Heartbeat.objects.filter(worker_id=worker_id).delete()


def requeue_lost():
    """Put back in the queue every RUNNING task whose worker stopped beating; returns them.

    The RUNNING tasks are read before the heartbeats: a worker beats before it claims, so a
    task claimed meanwhile always finds its worker's heartbeat.
    """
    running = list(
        DBTaskResult.objects.filter(status=RUNNING).values_list("pk", "worker_ids", "started_at")
    )
    if not running:
        return []
    alive_since = timezone.now() - timedelta(seconds=settings.WORKER_LOST_AFTER)
    alive = set(
        Heartbeat.objects.filter(seen_at__gte=alive_since).values_list("worker_id", flat=True)
    )
    lost = []
    for pk, worker_ids, started_at in running:
        if worker_ids and worker_ids[-1] in alive:
            continue
        # Only if it is still the same claim: the task may have finished meanwhile.
        claim = DBTaskResult.objects.filter(pk=pk, status=RUNNING, started_at=started_at)
        if len(worker_ids) >= MAX_CLAIMS:
            failed = claim.update(
                status="FAILED",
                finished_at=timezone.now(),
                exception_class_path="worker.recovery.WorkerLost",
                traceback=f"The worker running this task stopped {len(worker_ids)} times.",
            )
            if failed:
                logger.error("task_abandoned task=%s workers_lost=%s", pk, len(worker_ids))
        elif claim.update(status="READY", started_at=None):
            logger.warning("task_requeued task=%s workers_lost=%s", pk, len(worker_ids))
            lost.append(pk)
    Heartbeat.objects.filter(seen_at__lt=alive_since).delete()
    return lost
