"""The "Organizer" group: the campaign's staff. Everything a moderator may do, plus the
petitions and the signatures (view, invalidate, restore, resend, export without emails).

Exporting signers' email addresses ("export_emails") is deliberately not included: a
superuser grants it to the few people who need it.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Organizer"
PERMISSIONS = {
    "petitions": [
        f"{action}_{model}"
        for action in ("view", "add", "change")
        for model in ("petition", "addressee", "harm", "reason", "demand")
    ]
    + [f"delete_{model}" for model in ("addressee", "harm", "reason", "demand")],
    "signatures": [
        "view_signature",
        "change_signature",
        "view_comment",
        "change_comment",
        "view_moderationsettings",
        "change_moderationsettings",
    ],
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; this one needs them now.
    for label in PERMISSIONS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(
        permission
        for label, codenames in PERMISSIONS.items()
        for permission in Permission.objects.filter(
            content_type__app_label=label, codename__in=codenames
        )
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0003_closed_at"),
        ("signatures", "0004_merge_0002_organizer_tools_0003_moderator_group"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
