"""Strings of Django's own admin that its Russian catalogue does not translate yet.

Marked here so that makemessages keeps them in locale/, whose catalogue Django reads before
its own (LOCALE_PATHS). Drop a line once Django ships the translation.
"""

from django.utils.translation import gettext_noop

gettext_noop("- Select an option -")  # the empty choice of every select, since Django 6.0
gettext_noop("Filter by %(field_name)s")  # admin/date_hierarchy.html
