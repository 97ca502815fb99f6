from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """A running worker says it is alive every few seconds; one that stops saying it is dead."""

    # django-tasks-db's own id for the worker, the one it records on the tasks it claims.
    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return self.worker_id
