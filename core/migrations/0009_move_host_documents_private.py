"""Host documents uploaded before they were private move from the public storage (where
/media/… served them to anyone) to the private one, under the same name."""

from django.core.files.storage import default_storage
from django.db import migrations


def move_documents(apps, schema_editor):
    from core.models.storage import private_storage

    HostProfile = apps.get_model("core", "HostProfile")
    for profile in HostProfile.objects.exclude(document="").iterator():
        name = profile.document.name
        if not default_storage.exists(name):
            continue
        with default_storage.open(name, "rb") as source:
            stored = private_storage.save(name, source)
        if stored != name:
            HostProfile.objects.filter(pk=profile.pk).update(document=stored)
        default_storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [("core", "0008_media_variants_private_documents")]

    operations = [migrations.RunPython(move_documents, migrations.RunPython.noop)]
