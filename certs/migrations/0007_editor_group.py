from django.contrib.auth.management import create_permissions
from django.db import migrations

# Editors keep the content current; they cannot touch users, groups or settings.
CONTENT_MODELS = [
    "source", "certification", "examversion", "topic", "skilldomain", "category", "feature",
    "priority", "value", "disagreement", "faqentry", "matchup", "editorialblock", "question",
    "choice", "weight", "facttoreverify",
]


def create_editor_group(apps, schema_editor):
    # Permissions are normally created after migrations run; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editor")
    names = [f"historical{m}" for m in CONTENT_MODELS] + CONTENT_MODELS
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="certs", content_type__model__in=names)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("certs", "0006_reverify_proxy"),
    ]

    operations = [migrations.RunPython(create_editor_group, migrations.RunPython.noop)]
