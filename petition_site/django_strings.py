"""Strings of Django's admin and of third-party apps that their Russian catalogues lack.

Marked here so that makemessages keeps them in locale/, whose catalogue Django reads before
its own (LOCALE_PATHS). Drop a line once Django ships the translation.
"""

from django.utils.translation import gettext_noop

gettext_noop("- Select an option -")  # the empty choice of every select, since Django 6.0
gettext_noop("Filter by %(field_name)s")  # admin/date_hierarchy.html
gettext_noop("Task Result")  # django-tasks-db's model
gettext_noop("Task Results")
