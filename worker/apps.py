from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkerConfig(AppConfig):
    """The background worker made to survive its own death and database outages.

    Listed before django-tasks-db in INSTALLED_APPS, so that `manage.py db_worker` is this
    app's command (as django.contrib.staticfiles extends `runserver`).
    """

    name = "worker"
    verbose_name = _("Background worker")
