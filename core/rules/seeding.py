"""Seeding a round: how teams are dealt into groups and what the groups are called. Pure."""

import string


def group_names(count: int) -> list[str]:
    """A, B, …, Z, then AA, AB, …: the names of `count` groups in order."""
    letters = string.ascii_uppercase
    return [
        letters[i] if i < 26 else f"{letters[i // 26 - 1]}{letters[i % 26]}" for i in range(count)
    ]


def snake_deal(team_ids: list[int], groups: int) -> list[list[int]]:
    """1→A, 2→B, …, then back (…, B, A): sizes differ by at most one and seeds are spread."""
    buckets: list[list[int]] = [[] for _ in range(groups)]
    for i, team_id in enumerate(team_ids):
        lap, pos = divmod(i, groups)
        buckets[pos if lap % 2 == 0 else groups - 1 - pos].append(team_id)
    return buckets
