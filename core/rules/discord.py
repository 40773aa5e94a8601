"""Discord's webhook message (docs/webhooks.md, "Discord"): the body an endpoint of kind
`discord` receives, built within Discord's documented limits, and the check of those limits.
Pure: takes the event data as the event log stores it."""

from typing import Any

CONTENT_MAX = 2000
EMBEDS_MAX = 10
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
AUTHOR_MAX = 256
EMBEDS_TOTAL_MAX = 6000  # title + description + field names/values + footer + author, all embeds
TOP = 10
COLOUR = 0x5865F2


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _team(row: dict[str, Any]) -> str:
    team = row.get("team") or {}
    tag = f"[{clip(str(team['tag']), 16)}] " if team.get("tag") else ""
    return clip(f"{tag}{team.get('name', '?')}", 100)


def standings_embed(title: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The top 10 as one field per team: rank and team, then points, wins and kill points."""
    fields = [
        {
            "name": clip(f"#{row['rank']} {_team(row)}", FIELD_NAME_MAX),
            "value": clip(
                f"{row['total']} pts · {row['wins']} WWCD · {row['kill_points']} kill pts",
                FIELD_VALUE_MAX,
            ),
            "inline": False,
        }
        for row in rows[:TOP]
    ]
    embed: dict[str, Any] = {"title": clip(title, TITLE_MAX), "color": COLOUR, "fields": fields}
    if not fields:
        embed["description"] = "No results yet."
    return embed


def fit(body: dict[str, Any]) -> dict[str, Any]:
    """Keep the embeds within the 6,000-character total: drop fields from the end, then clip
    descriptions (what is left is still a readable top of the table)."""
    embeds = body.get("embeds", [])
    while sum(_embed_chars(e) for e in embeds) > EMBEDS_TOTAL_MAX:
        with_fields = [e for e in embeds if e.get("fields")]
        if with_fields:
            with_fields[-1]["fields"].pop()
            continue
        over = sum(_embed_chars(e) for e in embeds) - EMBEDS_TOTAL_MAX
        longest = max(embeds, key=lambda e: len(e.get("description", "")))
        longest["description"] = clip(longest["description"], len(longest["description"]) - over)
    return body


def standings_message(tournament: str, label: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return fit(
        {
            "content": clip(f"**{tournament}**: standings after {label}", CONTENT_MAX),
            "embeds": [standings_embed(f"Top {TOP} — {tournament}", rows)],
            "allowed_mentions": {"parse": []},
        }
    )


def winner_message(tournament: str, data: dict[str, Any]) -> dict[str, Any]:
    champion = _team({"team": data.get("team") or {}})
    embed = standings_embed(f"Final standings — {tournament}", data.get("standings") or [])
    embed["description"] = clip(f"🏆 **{champion}** wins {tournament}!", DESCRIPTION_MAX)
    return fit(
        {
            "content": clip(f"🏆 {champion} wins **{tournament}**", CONTENT_MAX),
            "embeds": [embed],
            "allowed_mentions": {"parse": []},
        }
    )


def announcement_message(tournament: str, message: str) -> dict[str, Any]:
    embed = {
        "title": clip(f"Announcement — {tournament}", TITLE_MAX),
        "description": clip(message, DESCRIPTION_MAX),
        "color": COLOUR,
    }
    return fit({"embeds": [embed], "allowed_mentions": {"parse": []}})


def text_message(text: str) -> dict[str, Any]:
    return {"content": clip(text, CONTENT_MAX), "allowed_mentions": {"parse": []}}


def _embed_chars(embed: dict[str, Any]) -> int:
    total = len(embed.get("title", "")) + len(embed.get("description", ""))
    total += len((embed.get("footer") or {}).get("text", ""))
    total += len((embed.get("author") or {}).get("name", ""))
    return total + sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))


def message_problems(body: dict[str, Any]) -> list[str]:
    """What in `body` breaks Discord's webhook limits ([] when it is a valid message)."""
    problems = []
    content, embeds = body.get("content", ""), body.get("embeds", [])
    if not content and not embeds:
        problems.append("neither content nor embeds")
    if len(content) > CONTENT_MAX:
        problems.append(f"content over {CONTENT_MAX}")
    if len(embeds) > EMBEDS_MAX:
        problems.append(f"over {EMBEDS_MAX} embeds")
    limits = (("title", TITLE_MAX), ("description", DESCRIPTION_MAX))
    for i, embed in enumerate(embeds):
        problems += [f"embed {i} {k} over {n}" for k, n in limits if len(embed.get(k, "")) > n]
        fields = embed.get("fields", [])
        if len(fields) > FIELDS_MAX:
            problems.append(f"embed {i} over {FIELDS_MAX} fields")
        for field in fields:
            if not field.get("name") or len(field["name"]) > FIELD_NAME_MAX:
                problems.append(f"embed {i} field name empty or over {FIELD_NAME_MAX}")
            if not field.get("value") or len(field["value"]) > FIELD_VALUE_MAX:
                problems.append(f"embed {i} field value empty or over {FIELD_VALUE_MAX}")
    if sum(_embed_chars(e) for e in embeds) > EMBEDS_TOTAL_MAX:
        problems.append(f"embeds over {EMBEDS_TOTAL_MAX} characters in total")
    return problems
