"""A live server beside the local PhonePe sandbox, wired to each other as scripts/run wires them
(Django calls the sandbox on its port, the sandbox posts webhooks back to the server's), on free
ports, over a database migrated and seeded with the demo data by `manage.py seed_demo`.

The server's database in each pass, as the other real-server tests choose it: with PostgreSQL
this run's test database (so the test must be transactional: it is emptied afterwards), else a
throw-away SQLite file. It uses the run's Redis, if any, and runs Celery tasks inline (no worker:
the webhook's check and the publish happen in the server process).
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from billing.phonepe.sandbox.remote import SandboxControl, run_sandbox
from tests.support.servers import ROOT, AsgiServer, database_url_of_this_run

# The local merchant both sides share (the defaults of settings and sandbox, set explicitly so
# that nothing in the environment can make them disagree).
PHONEPE = {
    "PHONEPE_ENV": "local",
    "PHONEPE_CLIENT_ID": "LOCAL_CLIENT",
    "PHONEPE_CLIENT_SECRET": "local-secret",
    "PHONEPE_CLIENT_VERSION": "1",
    "PHONEPE_CALLBACK_USERNAME": "local-callback",
    "PHONEPE_CALLBACK_PASSWORD": "local-callback-pw",
}


def server_env(var_dir: Path) -> dict[str, str]:
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        database = database_url_of_this_run()
    else:
        database = f"sqlite:///{var_dir / 'db.sqlite3'}"
    return {
        "DATABASE_URL": database,
        "REDIS_URL": settings.REDIS_URL or "",
        "VAR_DIR": str(var_dir),
        "CELERY_TASK_ALWAYS_EAGER": "true",
        **PHONEPE,
    }


def manage(server: AsgiServer, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stderr[-3000:]}"


@contextlib.contextmanager
def live_stack(
    var_dir: Path, *, kind: str = "uvicorn"
) -> Iterator[tuple[AsgiServer, SandboxControl]]:
    server = AsgiServer(server_env(var_dir), server=kind)
    callback = f"{server.http}/api/payments/callback/"
    with run_sandbox({**PHONEPE, "PHONEPE_CALLBACK_URL": callback}) as sandbox:
        server.env.update(PHONEPE_LOCAL_URL=sandbox.url, FRONTEND_URL=server.http)
        manage(server, "migrate", "--no-input", "-v", "0")
        manage(server, "seed_demo")
        server.start()
        try:
            yield server, sandbox
        finally:
            server.stop()
