"""The API against its own OpenAPI schema: schemathesis, every check, three roles.

Starts what production runs (uvicorn on the lean websocket protocol, DJANGO_DEBUG=false) with the
local PhonePe sandbox, on a fresh, migrated and seeded database (DATABASE_URL / REDIS_URL as the
CI pass uses them, SQLite and local memory without them), then runs `schemathesis run` against
/api/schema/ as an anonymous visitor, an approved and verified host, and a verified player (each
with its own access token). Any failure fails the step; the seed is printed so that it reproduces:

    .venv/bin/python .ci/schemathesis.py [--seed N] [--max-examples N] [--roles host,player]

What is excluded and why is in .ci/schemathesis.toml, next to each exclusion.
"""

import argparse
import json
import os
import secrets
import shlex
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
SCHEMATHESIS = str(Path(PY).with_name("schemathesis"))
CONFIG = ROOT / ".ci" / "schemathesis.toml"
ROLES = ("anonymous", "host", "player")
DEFAULT_SEED = 20261202
DEFAULT_MAX_EXAMPLES = 8


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(var_dir: Path, port: int, sandbox_port: int) -> dict[str, str]:
    """Production settings on plain HTTP, tasks inline, tokens that outlive the run."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "schemathesis-" + secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "VAR_DIR": str(var_dir),
        "STATIC_ROOT": str(var_dir / "static"),
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "JWT_ACCESS_MINUTES": "240",
        # Thousands of cases from one address: the limits would answer 429 to nearly all of them
        # and leave the endpoints behind them untested (tests/core/api/test_throttles.py).
        "THROTTLE_LOGIN": "100000/min",
        "THROTTLE_REGISTER": "100000/min",
        "THROTTLE_PASSWORD_RESET": "100000/min",
        "THROTTLE_EMAIL_RESEND": "100000/min",
        "PHONEPE_ENV": "local",
        "PHONEPE_LOCAL_URL": f"http://127.0.0.1:{sandbox_port}",
        "PHONEPE_CALLBACK_URL": f"http://127.0.0.1:{port}/api/payments/callback/",
        "FRONTEND_URL": f"http://127.0.0.1:{port}",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def fresh_database(env: dict[str, str]) -> None:
    """Drop and create the PostgreSQL database, empty the Redis database (a run starts clean)."""
    url = env.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = urlparse(url).path.lstrip("/")
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    if env.get("REDIS_URL"):
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()


def prepare(env: dict[str, str]) -> dict[str, Any]:
    """Migrate, seed, and mint one access token per signed-in role (a subprocess with the
    server's environment, so that it writes where the server reads)."""
    out = subprocess.run(  # noqa: S603 - our own script
        [PY, str(Path(__file__).with_name("schemathesis_accounts.py"))],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_config(ids: dict[str, int], var_dir: Path) -> Path:
    """.ci/schemathesis.toml with this run's ids as the dictionaries its path parameters use."""
    lines = [CONFIG.read_text(), "", "# This run's objects (.ci/schemathesis_accounts.py)."]
    for name, pk in sorted(ids.items()):
        lines += [f"[dictionaries.{name.lower()}]", f"values = [{int(pk)}]"]
    path = var_dir / "schemathesis.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def wait_for(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: exited\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - our own local server
                return
        except urllib.error.HTTPError:  # it answers: it is up
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url}: did not start\n{log.read_text()[-3000:]}")


@contextmanager
def process(args: list[str], env: dict[str, str], log: Path, ready_url: str) -> Any:
    out = log.open("w")
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        wait_for(ready_url, proc, log)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def uvicorn_args(port: int) -> list[str]:
    """As deployed (Dockerfile): uvicorn with the lean websocket protocol."""
    return [
        *(PY, "-m", "uvicorn", "--host", "127.0.0.1", "--port", str(port)),
        *("--ws", "realtime.wsprotocol:LeanWebSocketProtocol"),
        *("--lifespan", "off", "--no-access-log", "config.asgi:application"),
    ]


def schemathesis_args(
    url: str, token: str | None, opts: argparse.Namespace, config: Path, report: Path
) -> list[str]:
    seed, max_examples = opts.seed, opts.max_examples
    args = [
        *(SCHEMATHESIS, "--config-file", str(config), "run", f"{url}/api/schema/"),
        *("--checks", "all", "--seed", str(seed), "--max-examples", str(max_examples)),
        *("--report", "junit", "--report-junit-path", str(report)),
        *("--no-color", "--generation-database", "none"),
    ]
    if opts.only:
        args += ["--include-path-regex", opts.only]
    if token:
        args += ["-H", f"Authorization: Bearer {token}"]
    return args


def start_role(role: str, args: list[str], env: dict[str, str], log: Path) -> dict[str, Any]:
    """Start one role's run; its output goes to its own log, printed whole when it ends."""
    shown = " ".join(shlex.quote(a) for a in args)
    if "-H" in args:
        shown = shown.split(" -H ")[0] + " -H 'Authorization: Bearer <the role's token>'"
    # Run where its cache may be written (.schemathesis/, .hypothesis/): the run's own folder.
    cwd = log.parent / f"cwd-{role}"
    cwd.mkdir(exist_ok=True)
    out = log.open("w")
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    return {
        "role": role,
        "proc": proc,
        "out": out,
        "log": log,
        "shown": shown,
        "started": time.monotonic(),
    }


def finish_role(run: dict[str, Any]) -> dict[str, Any]:
    code = run["proc"].wait()
    seconds = time.monotonic() - run["started"]
    run["out"].close()
    print(f"\n===== schemathesis: {run['role']} =====\n$ {run['shown']}", flush=True)
    print(run["log"].read_text(), flush=True)
    return {"role": run["role"], "code": code, "seconds": seconds}


def junit_counts(report: Path) -> str:
    import xml.etree.ElementTree as ET

    if not report.exists():
        return "no report"
    suite = ET.parse(report).getroot()  # noqa: S314
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    if suite is None:
        return "no suite"
    tests, failures, errors = (suite.get(k) for k in ("tests", "failures", "errors"))
    return f"{tests} operations, {failures} failed, {errors} errors"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seed", type=int, default=int(os.environ.get("SCHEMATHESIS_SEED", DEFAULT_SEED))
    )
    parser.add_argument("--max-examples", type=int, default=DEFAULT_MAX_EXAMPLES)
    parser.add_argument("--roles", default=",".join(ROLES))
    parser.add_argument("--only", default="", help="a path regex: only these operations")
    opts = parser.parse_args()
    roles = [r for r in opts.roles.split(",") if r]
    port, sandbox_port = free_port(), free_port()
    var_dir = Path(tempfile.mkdtemp(prefix="schemathesis-"))
    env = server_env(var_dir, port, sandbox_port)
    print(f"schemathesis seed {opts.seed}, {opts.max_examples} examples per operation")
    print(f"the run's files (server log, reports): {var_dir}")
    fresh_database(env)
    prepared = prepare(env)
    tokens, config = prepared["tokens"], run_config(prepared["ids"], var_dir)
    url = f"http://127.0.0.1:{port}"
    results = []
    with ExitStack() as stack:
        sandbox = [PY, "-m", "billing.phonepe.sandbox", "--port", str(sandbox_port)]
        stack.enter_context(
            process(sandbox, env, var_dir / "sandbox.log", f"http://127.0.0.1:{sandbox_port}/")
        )
        stack.enter_context(
            process(uvicorn_args(port), env, var_dir / "server.log", f"{url}/healthz")
        )
        # The roles run at the same time: each client waits on the server most of the time, so
        # three at once use the two cores that one at a time leaves half idle (CI's budget).
        runs = []
        for role in roles:
            report = var_dir / f"junit-{role}.xml"
            args = schemathesis_args(url, tokens.get(role), opts, config, report)
            runs.append((start_role(role, args, env, var_dir / f"schemathesis-{role}.log"), report))
        for run, report in runs:
            result = finish_role(run)
            result["counts"] = junit_counts(report)
            results.append(result)
    print(f"\n===== schemathesis summary (seed {opts.seed}) =====")
    for r in results:
        verdict = "passed" if r["code"] == 0 else f"FAILED (exit {r['code']})"
        print(f"{r['role']:>9}: {verdict} in {r['seconds']:.0f} s: {r['counts']}")
    print(f"server log: {var_dir / 'server.log'}")
    return 0 if all(r["code"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
