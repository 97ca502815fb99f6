"""Strings of Django's admin and of third-party apps that their Russian catalogues lack or get
wrong.

Marked here so that makemessages keeps them in locale/, whose catalogue Django reads before
its own (LOCALE_PATHS). Drop a line once Django ships the translation.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

gettext_noop("- Select an option -")  # the empty choice of every select, since Django 6.0
gettext_noop("Filter by %(field_name)s")  # admin/date_hierarchy.html
gettext_noop("Task Result")  # django-tasks-db's model
gettext_noop("Task Results")
# django-axes' models: its Russian names repeat their section's ("Попытки входа") or are
# capitalised ("Ошибка доступа") where the admin puts them inside a sentence.
gettext_noop("access attempt")
gettext_noop("access attempts")
gettext_noop("access failure")
gettext_noop("access failures")
gettext_noop("access log")
gettext_noop("access logs")
gettext_noop("Locked Out")  # a filter and the status column of its attempts list
gettext_noop("Attempt Remaining")  # the status column: "<n> Attempt Remaining"
gettext_noop("Not set")  # the expiration column

# The admin puts a model's name, in the nominative, into sentences: Django's Russian
# "Изменить петиция", "Добавить еще один Причина". Russian declines the name and Django
# cannot, so the project's catalogue gives these a shape where the nominative is right:
# "Изменение: петиция", "Причина: добавить ещё".
gettext_noop("Add %s")  # the add page's title
gettext_noop("Change %s")  # the change page's title
gettext_noop("View %s")
gettext_noop("Select %s")
gettext_noop("Select %s to change")  # the list's title
gettext_noop("Select %s to view")
gettext_noop("Add %(name)s")  # the list's button and the add page's breadcrumb
gettext_noop("Add another %(verbose_name)s")  # an inline's link; Django capitalises the name
gettext_noop("Delete selected %(verbose_name_plural)s")
gettext_noop("Successfully deleted %(count)d %(items)s.")
gettext_noop("Cannot delete %(name)s")
gettext_noop("The %(name)s “%(obj)s” was deleted successfully.")
gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?")
gettext_noop("0 of %(cnt)s selected")
gettext_noop("%(class_name)s %(instance)s")
gettext_noop(
    "Deleting %(class_name)s %(instance)s would require deleting the following protected "
    "related objects: %(related_objects)s"
)
gettext_noop(
    "Deleting the %(object_name)s “%(escaped_object)s” would result in deleting related "
    "objects, but your account doesn't have permission to delete the following types of "
    "objects:"
)
gettext_noop(
    "Deleting the %(object_name)s “%(escaped_object)s” would require deleting the following "
    "protected related objects:"
)
gettext_noop(
    "Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? All of the "
    "following related items will be deleted:"
)
gettext_noop(
    "Deleting the selected %(objects_name)s would result in deleting related objects, but "
    "your account doesn't have permission to delete the following types of objects:"
)
gettext_noop(
    "Deleting the selected %(objects_name)s would require deleting the following protected "
    "related objects:"
)
gettext_noop(
    "Are you sure you want to delete the selected %(objects_name)s? All of the following "
    "objects and their related items will be deleted:"
)
gettext_noop("Yes, I’m sure")  # the delete button; Django's Russian is masculine only
gettext_noop("%(full_result_count)s total")  # the search result count
gettext_noop("Search %(name)s")
gettext_noop("Pagination %(name)s entries")  # the history page
gettext_noop("Added {name} “{object}”.")  # the history page
gettext_noop("Changed {fields} for {name} “{object}”.")
gettext_noop("Deleted {name} “{object}”.")
gettext_noop("The {name} “{obj}” was added successfully.")
gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below.")
gettext_noop("The {name} “{obj}” was changed successfully.")
gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below.")
gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below.")

# django-otp's login form, which ships no Russian.
gettext_noop("OTP Device:")
gettext_noop("OTP Token:")
gettext_noop("Get OTP Challenge")
gettext_noop("Please enter your OTP token.")
gettext_noop("Please select a device.")
gettext_noop("Invalid token. Please make sure you have entered it correctly.")
gettext_noop("The selected OTP device is not interactive")
gettext_noop("Error generating challenge: {0}")
gettext_noop("OTP Challenge: {0}")
gettext_noop("Verification of the token is currently disabled")
ngettext_lazy(
    "Verification temporarily disabled because of %(failure_count)d failed attempt, please "
    "try again soon.",
    "Verification temporarily disabled because of %(failure_count)d failed attempts, please "
    "try again soon.",
)
