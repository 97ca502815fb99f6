"""The "Moderator" group: comments and moderation settings, nothing about signatures.

Moderators see no signer's email and cannot export signatures, because the group holds no
permission on Signature at all.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Moderator"
PERMISSIONS = [
    "view_comment",
    "change_comment",
    "view_moderationsettings",
    "change_moderationsettings",
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; this one needs them now.
    app_config = apps.get_app_config("signatures")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="signatures", codename__in=PERMISSIONS)
    )
    apps.get_model("signatures", "ModerationSettings").objects.get_or_create(pk=1)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("signatures", "0002_comments"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
