"""The event log keeps each event's data (JSON text) instead of its whole websocket frame: the
frame is the realtime layer's to build (realtime/frames.py), byte for byte what was stored."""

import json

from django.db import migrations, models


def frames_to_data(apps, schema_editor):
    TournamentEvent = apps.get_model("core", "TournamentEvent")
    for event in TournamentEvent.objects.only("pk", "frame").iterator(chunk_size=2000):
        data = json.loads(event.frame)["data"]
        event.data = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        event.save(update_fields=["data"])


def data_to_frames(apps, schema_editor):
    TournamentEvent = apps.get_model("core", "TournamentEvent")
    for event in TournamentEvent.objects.iterator(chunk_size=2000):
        utc = event.created_at
        at = utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
        event.frame = (
            f'{{"type":"event","seq":{event.seq},"name":"{event.name}","at":"{at}",'
            f'"data":{event.data}}}'
        )
        event.save(update_fields=["frame"])


class Migration(migrations.Migration):
    dependencies = [("core", "0005_engine_competition")]

    operations = [
        migrations.AddField(
            model_name="tournamentevent", name="data", field=models.TextField(default="null")
        ),
        migrations.RunPython(frames_to_data, data_to_frames),
        migrations.RemoveField(model_name="tournamentevent", name="frame"),
        migrations.AlterField(
            model_name="tournamentevent", name="data", field=models.TextField()
        ),
    ]
