"""Django's Russian formats, with the day and month in the genitive: «20 ноября», as its
own DATE_FORMAT has it, not «20 Ноябрь» (the admin's date drill-down shows this one)."""

from django.conf.locale.ru.formats import *  # noqa: F403

MONTH_DAY_FORMAT = "j E"
