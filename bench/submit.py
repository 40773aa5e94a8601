"""The submit path alone: the wall time of `match_result_submit` (the transaction, scoring,
standings, the event, the commit and its hooks) and its SQL statements, on a real 25-team room,
against a floor in the same process and database: one transaction that locks the match, writes
the result rows and one event of the same size, and commits (the least a submit must do).

The measured part runs in a child process with Django set up on the room's database (the
parent stays free of Django, like every other benchmark), on the in-memory channel layer: the
fan-out is bench.fanout's business.

    .venv/bin/python -m bench.submit --submits 200
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scrimverse_bench \
        .venv/bin/python -m bench.submit
"""

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
import uuid

from bench.common import PY, ROOT, Room, make_room, ms, pct, ratio, record, table


def _floor_once(cursor, match_id: int, rows: list[tuple], event: str) -> None:
    """BEGIN; lock the match; replace 25 result rows; append one event; COMMIT."""
    from django.db import transaction

    with transaction.atomic():
        lock = " FOR UPDATE" if cursor.db.vendor == "postgresql" else ""
        cursor.execute(f"SELECT id FROM core_match WHERE id = %s{lock}", [match_id])  # noqa: S608
        cursor.execute("DELETE FROM bench_result")
        values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
        cursor.execute(f"INSERT INTO bench_result VALUES {values}", [x for r in rows for x in r])  # noqa: S608
        cursor.execute("INSERT INTO bench_event (data) VALUES (%s)", [event])


def _inner(submits: int, tournament_id: int, match_id: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.models import Match
    from core.rules.results import ResultSubmission, parse_result_rows
    from core.services.results import match_result_submit

    match = Match.objects.select_related("tournament__host").get(pk=match_id)
    host = match.tournament.host
    teams = list(match.group.entries.values_list("team_id", flat=True))
    rng = random.Random(20261203)

    def submit() -> None:
        order = rng.sample(teams, len(teams))
        rows = [
            {"team": t, "placement": p, "kills": rng.randint(0, 9)}
            for p, t in enumerate(order, start=1)
        ]
        match_result_submit(
            actor=host,
            match_id=match_id,
            tournament_id=tournament_id,
            submission=ResultSubmission(parse_result_rows(rows), False, None),
            request_id=uuid.uuid4().hex,
            face="websocket",
        )

    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_result (a int, b int, c int, d int)")
        cursor.execute("CREATE TEMP TABLE bench_event (data text)")
    floor_rows = [(i, i, i, i) for i in range(len(teams))]
    event = "x" * 4500
    for _ in range(5):  # warm both: connections, caches, code paths
        submit()
    with connection.cursor() as cursor:
        for _ in range(5):
            _floor_once(cursor, match_id, floor_rows, event)
    with CaptureQueriesContext(connection) as counted:
        submit()
    submit_ms, floor_ms = [], []
    with connection.cursor() as cursor:
        for _ in range(submits):  # interleaved: machine drift falls on both alike
            t0 = time.perf_counter()
            submit()
            t1 = time.perf_counter()
            _floor_once(cursor, match_id, floor_rows, event)
            t2 = time.perf_counter()
            submit_ms.append((t1 - t0) * 1000)
            floor_ms.append((t2 - t1) * 1000)
    return {
        "submit_ms": submit_ms,
        "floor_ms": floor_ms,
        "queries": len(counted.captured_queries),
        "statements": [q["sql"][:120] for q in counted.captured_queries],
    }


def run_inner(room: Room, submits: int) -> dict:
    out = subprocess.run(
        [PY, "-m", "bench.submit", "--inner", str(submits), str(room.tournament), str(room.match)],
        cwd=ROOT,
        env=room.env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"bench.submit failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


async def main(args: argparse.Namespace, room: Room | None = None) -> bool:
    room = room or make_room(teams=args.teams)
    result = await asyncio.to_thread(run_inner, room, args.submits)
    s, f = result["submit_ms"], result["floor_ms"]
    headers = ["row", "p50 ms", "p99 ms", "mean ms", "SQL statements", "p50 vs floor"]
    rows = [
        ["floor (lock, rows, event, commit)", ms(pct(f, 50)), ms(pct(f, 99)),
         ms(sum(f) / len(f)), 6, "1.00x"],
        ["match_result_submit", ms(pct(s, 50)), ms(pct(s, 99)), ms(sum(s) / len(s)),
         result["queries"], ratio(pct(s, 50), pct(f, 50))],
    ]  # fmt: skip
    note = (
        f"{args.submits} submits of a {len(room.teams)}-team result (provisional corrections "
        "of one match, each a new version), interleaved with the floor; SQL statements of one "
        "submit counted with Django's CaptureQueriesContext (the floor's: BEGIN, lock, delete, "
        "one multi-row insert, the event, COMMIT)."
    )
    if args.show_sql:
        note += "\n\n" + "\n".join(f"    {q}" for q in result["statements"])
    record("Submit path", table(headers, rows) + "\n\n" + note, readme=not args.no_readme)
    return bool(s) and all(x > 0 for x in s)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--submits", type=int, default=200)
    p.add_argument("--teams", type=int, default=25)
    p.add_argument("--show-sql", action="store_true", help="list one submit's statements")
    p.add_argument("--no-readme", action="store_true")
    return p


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--inner":
        print(json.dumps(_inner(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))))
    else:
        sys.exit(0 if asyncio.run(main(parser().parse_args())) else 1)
