"""The games catalog; editable afterwards in the admin."""

from django.db import migrations

GAMES = [
    # slug, name, squad, max subs, lobby (teams per match), default points preset
    ("bgmi", "BGMI", 4, 1, 25, "pubgm_2023"),
    ("pubg-mobile", "PUBG Mobile", 4, 1, 25, "pubgm_2023"),
    ("free-fire", "Free Fire", 4, 2, 12, "freefire"),
    ("codm", "Call of Duty Mobile", 4, 1, 25, "pubgm_2023"),
]


def add_games(apps, schema_editor):
    Game = apps.get_model("core", "Game")
    for slug, name, squad, subs, lobby, preset in GAMES:
        Game.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "squad_size": squad,
                "max_substitutes": subs,
                "lobby_size": lobby,
                "default_points_preset": preset,
                "banner": f"games/{slug}.svg",
            },
        )


def remove_games(apps, schema_editor):
    apps.get_model("core", "Game").objects.filter(slug__in=[g[0] for g in GAMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(add_games, remove_games)]
