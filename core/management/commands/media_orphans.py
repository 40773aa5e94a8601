"""List (and with --delete remove) stored files no row refers to (core/services/media_orphans)."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from core.services.media_orphans import media_orphans_delete, media_orphans_find


class Command(BaseCommand):
    help = "List uploaded files no row refers to; --delete removes them (a dry run by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--delete", action="store_true", help="Remove them (default: list)")
        parser.add_argument(
            "--grace-seconds",
            type=int,
            default=None,
            help="Only files older than this (default: MEDIA_ORPHAN_GRACE_SECONDS)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seconds = options["grace_seconds"]
        grace = timedelta(seconds=seconds) if seconds is not None else None
        orphans = media_orphans_find(grace=grace)
        for orphan in orphans:
            self.stdout.write(f"{orphan.storage}: {orphan.name}")
        if options["delete"]:
            self.stdout.write(f"deleted {media_orphans_delete(orphans)} orphaned file(s)")
        else:
            self.stdout.write(f"{len(orphans)} orphaned file(s); --delete removes them")
