"""The "Organizer" group also edits who runs the campaign and posts its updates.

Organizers may delete an update (a mistaken draft, an outdated notice) but not an
organization: petitions point at it, as they cannot delete a petition either.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Organizer"
CODENAMES = [
    "view_organization",
    "add_organization",
    "change_organization",
    "view_update",
    "add_update",
    "change_update",
    "delete_update",
]


def _permissions(apps):
    # Permissions are normally created after all migrations ran; these are needed now.
    app_config = apps.get_app_config("petitions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="petitions", codename__in=CODENAMES
    )


def grant(apps, schema_editor):
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0006_organization_updates"),
        ("signatures", "0005_organizer_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
