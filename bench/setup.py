"""Create the benchmark's database and one live room through the project's own services.

`python -m bench.setup` migrates the database named by DATABASE_URL (creating a PostgreSQL
database when it does not exist yet; one whose name holds "bench" or "soak" is dropped and made
anew, so every run starts empty), builds a live tournament of TEAMS teams in one group with
one match, and prints JSON: the room, its match, its teams and a host access token."""

import argparse
import json
import os
import sys


def ensure_postgres_database(url: str) -> None:
    import environ
    import psycopg

    cfg = environ.Env.db_url_config(url)
    if "postgresql" not in cfg["ENGINE"]:
        return
    admin = psycopg.connect(
        host=cfg.get("HOST") or "127.0.0.1",
        port=cfg.get("PORT") or 5432,
        user=cfg.get("USER") or "postgres",
        password=cfg.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )
    name = cfg["NAME"]
    with admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and ("bench" in name or "soak" in name):
            # A benchmark's own database starts empty each run (the room's users would collide);
            # any other database is never dropped, only used when it is new.
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if exists is None:
            admin.execute(f'CREATE DATABASE "{name}"')


def host_token(user: object) -> str:
    """An access token that outlives a full run (the default lifetime is minutes)."""
    from datetime import timedelta

    from rest_framework_simplejwt.tokens import AccessToken

    token = AccessToken.for_user(user)
    token.set_exp(lifetime=timedelta(hours=12))
    return str(token)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teams", type=int, default=25)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    if os.environ.get("DATABASE_URL"):
        ensure_postgres_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0, interactive=False)
    # The same builder as the realtime tests: real services, a real live room.
    from tests.support.rooms import live_room

    with transaction.atomic():
        room = live_room(teams=args.teams, prefix="Bench")
    json.dump(
        {
            "tournament": room.tournament.pk,
            "match": room.matches[0].pk,
            "teams": [t.pk for t in room.teams],
            "token": host_token(room.host),
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
